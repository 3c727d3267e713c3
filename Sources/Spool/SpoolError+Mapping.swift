// SPDX-License-Identifier: Apache-2.0
// How lower-layer errors become public ones (cause kept).
import GroupCoordinator
import LogStorage
import MetadataStore

extension SpoolError {
    init(_ error: StorageError) {
        let code: Code
        switch error.code {
        case .io, .failed: code = .io
        case .corruption, .unsupportedFormat: code = .corruption
        case .offsetOutOfRange: code = .offsetOutOfRange
        case .invalidArgument: code = .invalidArgument
        case .closed: code = .closed
        case .directoryLocked: code = .directoryLocked
        }
        var message = error.message
        if let path = error.path { message += " (\(path)" + (error.position.map { " at byte \($0)" } ?? "") + ")" }
        if let cause = error.cause, error.code == .io || error.code == .failed { message += ": \(cause.code)" }
        self.init(code, message, underlying: error)
    }

    init(_ error: MetadataError) {
        let code: Code
        switch error.code {
        case .invalidTopicName: code = .invalidTopicName
        case .topicExists: code = .topicAlreadyExists
        case .topicNotFound: code = .unknownTopic
        case .invalidPartitionCount: code = .invalidPartitionCount
        case .notADatabase, .corrupt, .foreignDatabase, .schemaNewerThanCode, .unknownMigration,
             .migrationOutOfOrder, .migrationChecksumMismatch:
            code = .metadataUnusable
        case .closed: code = .closed
        case .invalidArgument, .invalidConfig: code = .invalidArgument
        default: code = .io
        }
        self.init(code, error.message, underlying: error)
    }

    init(_ error: CoordinatorError) {
        let code: Code
        switch error {
        case .unknownTopic: code = .unknownTopic
        case .unknownPartition: code = .unknownPartition
        case .groupNotFound: code = .unknownGroup
        case .groupNotEmpty: code = .groupNotEmpty
        case .noCommittedOffset, .committedOffsetOutOfRange: code = .noCommittedOffset
        case .unknownMember, .fencedInstance: code = .removedFromGroup
        case .staleGeneration: code = .rebalanceInProgress
        case .invalidOffset, .metadataTooLarge, .invalidJoin, .inconsistentAssignor, .notAssigned: code = .invalidArgument
        case .persistence: code = .io
        }
        self.init(code, error.description, underlying: error)
    }

    static func wrap(_ error: any Error) -> SpoolError {
        switch error {
        case let e as SpoolError: e
        case let e as StorageError: SpoolError(e)
        case let e as MetadataError: SpoolError(e)
        case let e as CoordinatorError: SpoolError(e)
        default: SpoolError(.internalError, "\(error)")
        }
    }
}
