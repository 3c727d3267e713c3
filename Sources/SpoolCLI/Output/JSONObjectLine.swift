// SPDX-License-Identifier: Apache-2.0
// Builds one JSON object as a single line of text, fields in the order they
// are added (stable output that tests and `jq` users can rely on).

/// `{"a":1,"b":"x"}` built field by field. Names are trusted literals
/// (escaped anyway); values are escaped as needed.
struct JSONObjectLine {
    private var text = "{"
    private var empty = true

    mutating func field(_ name: String, _ value: Int64) {
        key(name)
        text += String(value)
    }

    mutating func field(_ name: String, string value: String) {
        key(name)
        text += JSONString.quoted(value)
    }

    mutating func fieldNull(_ name: String) {
        key(name)
        text += "null"
    }

    /// `rawJSON` must already be a valid JSON value (an array built by the caller).
    mutating func field(_ name: String, rawJSON: String) {
        key(name)
        text += rawJSON
    }

    mutating func field(_ name: String, _ value: Int) {
        field(name, Int64(value))
    }

    mutating func field(_ name: String, bool value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// The number, or `null` when nil.
    mutating func field(_ name: String, optional value: Int64?) {
        if let value { field(name, value) } else { fieldNull(name) }
    }

    /// The string, or `null` when nil.
    mutating func field(_ name: String, optionalString value: String?) {
        if let value { field(name, string: value) } else { fieldNull(name) }
    }

    /// A JSON array of strings.
    mutating func field(_ name: String, strings: [String]) {
        field(name, rawJSON: "[" + strings.map(JSONString.quoted).joined(separator: ",") + "]")
    }

    /// A nested object.
    mutating func field(_ name: String, object: JSONObjectLine) {
        field(name, rawJSON: object.rendered)
    }

    /// A JSON array of objects.
    mutating func field(_ name: String, objects: [JSONObjectLine]) {
        field(name, rawJSON: "[" + objects.map(\.rendered).joined(separator: ",") + "]")
    }

    /// The finished object.
    var rendered: String { text + "}" }

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        text += JSONString.quoted(name)
        text += ":"
    }
}
