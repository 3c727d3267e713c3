// SPDX-License-Identifier: Apache-2.0
// The one background task: retention, `.interval` flushes, group session
// expiry. Everything it does is also callable directly (tests drive it).
import GroupCoordinator
import LogStorage

extension Spool {
    func startMaintenance() {
        let period = max(configuration.maintenanceIntervalMs, 10)
        let task = Task.detached { [weak self] in
            // Session expiry needs finer ticks than retention.
            var elapsed: Int64 = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                guard let self, !self.isClosed else { return }
                elapsed += 100
                self.expireGroupSessions()
                await self.flushIntervalPartitions()
                if elapsed >= period {
                    elapsed = 0
                    _ = try? self.runRetention()
                    // Keeps the recovery-point checkpoint close to what is synced,
                    // so an unclean open re-scans little (Kafka checkpoints every 60 s).
                    try? self.log.writeCheckpoints()
                }
            }
        }
        state.withLock { $0.maintenance = task }
    }

    /// Applies retention now; returns how many segments were deleted.
    @discardableResult
    package func runRetention() throws -> Int {
        try checkOpen()
        let deleted = try wrapStorage { try log.applyRetention(now: clock.nowMillis()) }
        return deleted.values.reduce(0) { $0 + $1.count }
    }

    /// Syncs partitions in `.interval` mode whose interval elapsed.
    func flushIntervalPartitions() async {
        for (_, p) in log.allPartitions {
            if case .interval(let ms) = p.config.durability { try? p.flushIfDue(intervalMillis: ms) }
        }
    }

    /// Removes group members whose session (or revocation) timed out.
    func expireGroupSessions() {
        do {
            let expired = try coordinator.expireSessions(now: clock.nowMillis())
            for m in expired {
                logger.info("group member expired", metadata: ["group": "\(m.groupID)", "member": "\(m.memberID)"])
            }
        } catch {
            logger.warning("session expiry failed", metadata: ["error": "\(error)"])
        }
    }
}
