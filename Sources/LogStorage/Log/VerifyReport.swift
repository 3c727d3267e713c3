// SPDX-License-Identifier: Apache-2.0
// The result of `verify()`: every problem found, with file and position.

package struct VerifyReport: Sendable, Equatable {
    package struct Problem: Sendable, Equatable, CustomStringConvertible {
        package var path: String
        package var position: Int64?
        package var message: String

        package var description: String {
            "\(path)" + (position.map { " @\($0)" } ?? "") + ": \(message)"
        }
    }

    package var partitions = 0
    package var segments = 0
    package var batches = 0
    package var records: Int64 = 0
    package var bytes: Int64 = 0
    package var problems: [Problem] = []

    package var isHealthy: Bool { problems.isEmpty }

    package init() {}

    mutating func problem(_ path: String, _ position: Int64?, _ message: String) {
        problems.append(Problem(path: path, position: position, message: message))
    }

    package mutating func merge(_ other: VerifyReport) {
        partitions += other.partitions
        segments += other.segments
        batches += other.batches
        records += other.records
        bytes += other.bytes
        problems += other.problems
    }
}
