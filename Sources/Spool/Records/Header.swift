// SPDX-License-Identifier: Apache-2.0

/// A record header: a UTF-8 key and an optional value (Kafka record headers).
public struct Header: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: String) {
        self.init(key: key, value: Array(value.utf8))
    }
}
