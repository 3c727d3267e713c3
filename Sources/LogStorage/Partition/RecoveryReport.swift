// SPDX-License-Identifier: Apache-2.0
// What opening a log did to get to a consistent state.

package struct RecoveryReport: Sendable, Equatable {
    /// A torn tail that was cut off.
    package struct Truncation: Sendable, Equatable {
        package var path: String
        package var position: Int64
        package var bytesDropped: Int64
        package var reason: String
    }

    /// Whether the clean-shutdown marker was present (recovery skipped).
    package var cleanShutdown = false
    package var partitionsLoaded = 0
    package var segmentsLoaded = 0
    /// Bytes of `.log` re-validated (CRC + record walk).
    package var bytesScanned: Int64 = 0
    package var truncations: [Truncation] = []
    package var rebuiltIndexes: [String] = []
    /// Leftovers removed: `.tmp`, `.deleted`, orphan indexes, segments below the log start.
    package var removedFiles: [String] = []
    /// Problems that did not stop the open (e.g. an unreadable checkpoint).
    package var warnings: [String] = []

    package init() {}

    package mutating func merge(_ other: RecoveryReport) {
        partitionsLoaded += other.partitionsLoaded
        segmentsLoaded += other.segmentsLoaded
        bytesScanned += other.bytesScanned
        truncations += other.truncations
        rebuiltIndexes += other.rebuiltIndexes
        removedFiles += other.removedFiles
        warnings += other.warnings
    }
}
