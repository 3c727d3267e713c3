// SPDX-License-Identifier: Apache-2.0
// Every on-disk name LogStorage creates, and its parser. Nothing else in the
// module builds a file name (one owner per name scheme).
//
//   <data>/.lock                               exclusive lock file (one owning process)
//   <data>/recovery-point-offset-checkpoint    OffsetCheckpointFile: offsets known fsynced
//   <data>/log-start-offset-checkpoint         OffsetCheckpointFile: first retained offsets
//   <data>/.clean-shutdown                     present only after a clean close
//   <data>/<topic>-<partition>/                one folder per partition
//       <20-digit base offset>.log             RecordBatch v2 frames back to back
//       <20-digit base offset>.index           OffsetIndex (8-byte entries)
//       <20-digit base offset>.timeindex       TimeIndex (12-byte entries)
//       *.tmp                                  half-written replacement; removed at open
//       *.deleted                              segment being deleted; removed at open

/// The kinds of files inside a partition folder.
package enum SegmentFileKind: String, Sendable, CaseIterable {
    case log = ".log"
    case index = ".index"
    case timeIndex = ".timeindex"
}

/// Names of files and folders in a data directory.
package enum LogFileNames {
    package static let lockFile = ".lock"
    package static let recoveryPointCheckpoint = "recovery-point-offset-checkpoint"
    package static let logStartCheckpoint = "log-start-offset-checkpoint"
    package static let cleanShutdownMarker = ".clean-shutdown"
    package static let temporarySuffix = ".tmp"
    package static let deletedSuffix = ".deleted"

    /// Width of the zero-padded base offset in segment file names (Kafka: 20).
    package static let baseOffsetDigits = 20

    /// `00000000000000000042.log` for base offset 42.
    package static func segmentFile(baseOffset: Int64, kind: SegmentFileKind) -> String {
        precondition(baseOffset >= 0, "segment base offsets are never negative")
        var digits = String(baseOffset)
        if digits.count < baseOffsetDigits {
            digits = String(repeating: "0", count: baseOffsetDigits - digits.count) + digits
        }
        return digits + kind.rawValue
    }

    /// Parses a segment file name back into its base offset and kind, or nil
    /// when the name is not one of ours (exactly 20 digits then a known suffix).
    package static func parseSegmentFile(_ name: String) -> (baseOffset: Int64, kind: SegmentFileKind)? {
        let utf8 = Array(name.utf8)
        guard utf8.count > baseOffsetDigits else { return nil }
        var value: Int64 = 0
        for i in 0..<baseOffsetDigits {
            let c = utf8[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            value = s
        }
        let suffix = String(decoding: utf8[baseOffsetDigits...], as: UTF8.self)
        guard let kind = SegmentFileKind(rawValue: suffix) else { return nil }
        return (value, kind)
    }

    /// Folder name of a partition: `<topic>-<partition>`.
    package static func partitionDirectory(topic: String, partition: Int32) -> String {
        "\(topic)-\(partition)"
    }

    /// Splits `<topic>-<partition>` at the last `-`; nil if it is not of that shape.
    package static func parsePartitionDirectory(_ name: String) -> (topic: String, partition: Int32)? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let topic = String(name[..<dash])
        let number = name[name.index(after: dash)...]
        guard !topic.isEmpty, !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }),
              let partition = Int32(number) else { return nil }
        return (topic, partition)
    }

    /// Joins path components with `/`.
    package static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
