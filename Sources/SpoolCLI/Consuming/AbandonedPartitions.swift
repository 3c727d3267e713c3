// SPDX-License-Identifier: Apache-2.0
// Partitions a group still assigns to members of an earlier process: static
// members (with an instance id) keep their partitions after their process
// ended, until their session times out, counted from this open (dynamic
// members of a dead process are removed when the directory is opened). `spool consume --group` keeps waiting (instead of stopping at its
// idle timeout) while that is the case, and until this process's consumer
// has picked up what the group assigned it (it learns that on its next
// heartbeat), and says so once on stderr.
import Spool
import Synchronization

final class AbandonedPartitions: Sendable {
    let spool: Spool
    let group: String
    let topic: String
    private let warned = Mutex(false)
    private let heldAtLastCheck = Mutex(false)
    private let consumer = Mutex<GroupConsumer?>(nil)

    init(spool: Spool, group: String, topic: String) {
        self.spool = spool
        self.group = group
        self.topic = topic
    }

    /// The consumer of this process, once it joined.
    func attach(_ consumer: GroupConsumer) {
        self.consumer.withLock { $0 = consumer }
    }

    /// Whether some partition of `topic` is held by a member that is not
    /// active or is assigned to this process's consumer but not yet fetched
    /// by it, or was at the previous check (the hand-over then deserves a
    /// full idle period of its own).
    func stillWaiting() -> Bool {
        let info = try? spool.describeGroup(group)
        let held = (info?.members ?? []).filter { $0.presence != .active }
            .flatMap { $0.assigned.filter { $0.topic == topic } }
        var pending = false
        if let consumer = consumer.withLock({ $0 }) {
            let memberID = consumer.memberID
            let fetching = Set(consumer.assignment)
            pending = (info?.partitions ?? []).contains {
                $0.partition.topic == topic && $0.owner == memberID && !fetching.contains($0.partition)
            }
        }
        let waiting = !held.isEmpty || pending
        let before = heldAtLastCheck.withLock { previous in
            defer { previous = waiting }
            return previous
        }
        guard !held.isEmpty else { return waiting || before }
        let first = warned.withLock { w in
            defer { w = true }
            return !w
        }
        if first {
            StandardError.write("spool: warning: \(held.sorted().map(\.description).joined(separator: ",")) "
                + "of group '\(group)' are still assigned to a static member of an earlier process; "
                + "waiting for its session to time out")
        }
        return true
    }
}
