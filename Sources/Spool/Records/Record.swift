// SPDX-License-Identifier: Apache-2.0

/// A record to produce.
public struct Record: Sendable, Hashable {
    /// Records with a key go to `murmur2(key) % partitions`, like the Kafka Java client.
    public var key: [UInt8]?
    /// nil is a tombstone (a null value), distinct from an empty value.
    public var value: [UInt8]?
    public var headers: [Header]
    /// Milliseconds since the epoch (`CreateTime`); nil: the time of the send.
    public var timestamp: Int64?
    /// Forces the partition (overrides the key).
    public var partition: Int?

    public init(key: [UInt8]? = nil, value: [UInt8]?, headers: [Header] = [], timestamp: Int64? = nil,
                partition: Int? = nil) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.partition = partition
    }

    /// A record with UTF-8 key and value.
    public init(key: String? = nil, value: String, headers: [Header] = [], timestamp: Int64? = nil,
                partition: Int? = nil) {
        self.init(key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers,
                  timestamp: timestamp, partition: partition)
    }
}

/// Where a produced record landed.
public struct Receipt: Sendable, Hashable {
    public var topic: String
    public var partition: Int
    public var offset: Int64
}
