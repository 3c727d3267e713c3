// SPDX-License-Identifier: Apache-2.0
// Group administration and whole-directory verification.
import GroupCoordinator
import LogStorage

extension GroupInfo.Presence {
    init(_ presence: MemberPresence) {
        switch presence {
        case .active: self = .active
        case .awaitingRejoinAfterRestart: self = .awaitingRejoin
        case .departed: self = .departed
        }
    }
}

extension Spool {
    /// Every known group (also those without live members).
    public func listGroups() throws -> [GroupSummary] {
        try checkOpen()
        return coordinator.listGroups().map {
            GroupSummary(group: $0.groupID, state: $0.state.rawValue, generation: Int($0.generation),
                         assignor: $0.assignor.rawValue, memberCount: $0.memberCount)
        }
    }

    /// Members, assignment, committed offsets, end offsets and lag of a group
    /// (lag is known even when no member is alive).
    /// - Throws: `.unknownGroup`, `.closed`.
    public func describeGroup(_ group: String) throws -> GroupInfo {
        try checkOpen()
        var ends: [GroupPartition: Int64] = [:]
        for (tp, p) in log.allPartitions { ends[GroupPartition(tp.topic, tp.partition)] = p.logEndOffset }
        let d: GroupDescription
        do { d = try coordinator.describe(group: group, endOffsets: ends) } catch { throw SpoolError(error) }
        let members = d.members.map { m in
            GroupInfo.Member(memberID: m.memberID, instanceID: m.instanceID, clientID: m.clientID,
                             subscription: m.subscription, presence: GroupInfo.Presence(m.presence),
                             assigned: m.assigned.map(GroupConsumer.publicID), revoking: m.revoking.map(GroupConsumer.publicID))
        }
        let partitions = d.partitions.map { p in
            GroupInfo.PartitionState(partition: GroupConsumer.publicID(p.partition), owner: p.owner,
                                     committedOffset: p.committed?.offset, endOffset: p.endOffset, lag: p.lag)
        }
        var warning: String?
        if let variants = d.subscriptionConflict, variants.count > 1 {
            warning = "members of group '\(group)' subscribe to different topic sets (\(variants.count) variants): "
                + "two services sharing one group id split the data between them"
        }
        return GroupInfo(group: d.groupID, state: d.state.rawValue, generation: Int(d.generation),
                         assignor: d.assignor.rawValue, members: members, partitions: partitions,
                         sharedGroupIDWarning: warning)
    }

    /// Where `resetOffsets` moves a group's committed offsets.
    public enum OffsetTarget: Sendable, Hashable {
        case earliest, latest
        case offset(Int64)
    }

    /// Sets the group's committed offsets of every partition of `topic`.
    /// Only allowed while the group has no live members. Creates the group
    /// (with only these offsets) when it does not exist yet, so offsets can
    /// be prepared before the first consumer joins.
    /// - Throws: `.unknownTopic`, `.groupNotEmpty`, `.offsetOutOfRange`, `.closed`.
    public func resetOffsets(group: String, topic: String, to target: OffsetTarget) throws {
        let info = try topicInfo(topic)
        var offsets: [Int32: Int64] = [:]
        for i in 0..<info.partitionCount {
            let p = try partition(topic, i)
            let s = p.summary
            switch target {
            case .earliest: offsets[Int32(i)] = s.logStartOffset
            case .latest: offsets[Int32(i)] = s.logEndOffset
            case .offset(let o):
                guard o >= s.logStartOffset, o <= s.logEndOffset else {
                    throw SpoolError(.offsetOutOfRange,
                                     "offset \(o) is outside [\(s.logStartOffset), \(s.logEndOffset)] of \(topic)-\(i)")
                }
                offsets[Int32(i)] = o
            }
        }
        do { try coordinator.resetOffsets(group: group, topic: topic, to: offsets) } catch { throw SpoolError(error) }
    }

    /// Deletes a group and its committed offsets.
    /// - Throws: `.unknownGroup`, `.groupNotEmpty`, `.closed`.
    public func deleteGroup(_ group: String) throws {
        try checkOpen()
        do { try coordinator.deleteGroup(group) } catch { throw SpoolError(error) }
    }

    /// The result of `verify()`.
    public struct VerifyResult: Sendable, Hashable {
        public var partitions: Int
        public var segments: Int
        public var batches: Int
        public var records: Int64
        public var bytes: Int64
        /// Every problem, each naming a file and, where known, a byte position.
        public var problems: [String]
        public var isHealthy: Bool { problems.isEmpty }
    }

    /// Checks every segment (CRC and records), index, checkpoint, and that no
    /// committed offset lies beyond its partition's end. Changes nothing.
    public func verify() throws -> VerifyResult {
        try checkOpen()
        let report = log.verify()
        var problems = report.problems.map(\.description)
        var ends: [GroupPartition: Int64] = [:]
        for (tp, p) in log.allPartitions { ends[GroupPartition(tp.topic, tp.partition)] = p.logEndOffset }
        do {
            for b in try coordinator.offsetsBeyondEnd(endOffsets: ends, clamp: false) {
                problems.append("group '\(b.groupID)': committed offset \(b.committed) of \(b.partition) is beyond the log end \(b.logEnd)")
            }
        } catch { throw SpoolError(error) }
        return VerifyResult(partitions: report.partitions, segments: report.segments, batches: report.batches,
                            records: report.records, bytes: report.bytes, problems: problems)
    }
}
