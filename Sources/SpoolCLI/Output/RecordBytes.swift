// SPDX-License-Identifier: Apache-2.0
// How a record's key, value or header bytes are shown: text when they are
// valid UTF-8, `null` when null, Base64 otherwise. Shared by every command
// that prints records (dump-segment now; consume later).

/// Classified bytes of one key, value or header field.
enum RecordBytes: Equatable {
    case null
    case text(String)
    /// Base64 of bytes that are not valid UTF-8.
    case binary(String)

    init(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { self = .null; return }
        if let s = String(validating: bytes, as: UTF8.self) {
            self = .text(s)
        } else {
            self = .binary(Base64.encode(bytes))
        }
    }

    /// Text form: `"quoted"` (JSON escaping), `null`, or `base64:AAEC`.
    var textRendering: String {
        switch self {
        case .null: "null"
        case .text(let s): JSONString.quoted(s)
        case .binary(let b64): "base64:" + b64
        }
    }
}

extension JSONObjectLine {
    /// `"name":"text"`, `"name":null`, or `"nameBase64":"..."` for binary bytes
    /// (so `"name":null` always means a null field, never undecodable bytes).
    mutating func field(_ name: String, bytes: RecordBytes) {
        switch bytes {
        case .null: fieldNull(name)
        case .text(let s): field(name, string: s)
        case .binary(let b64): field(name + "Base64", string: b64)
        }
    }
}
