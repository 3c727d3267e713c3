// SPDX-License-Identifier: Apache-2.0
// Opening a whole Spool engine on any FileSystem for the reliability loops:
// quiet logging, a fixed clock, no background work that would touch the disk
// on its own (retention and checkpoints are driven by the test), and group
// members whose background heartbeats never fire (the test drives them).
import FileIO
import Logging
@testable import Spool

enum SpoolHarness {
    static let fixedNow: Int64 = 1_700_000_000_000
    static let clock = SpoolClock { fixedNow }

    static var quietLogger: Logger {
        var logger = Logger(label: "spool-reliability")
        logger.logLevel = .critical
        return logger
    }

    static func configuration(segmentBytes: Int64 = 1 << 30) -> Configuration {
        var c = Configuration()
        c.logger = quietLogger
        c.segmentBytes = segmentBytes
        c.maintenanceIntervalMs = 1 << 40
        return c
    }

    static func open(_ fs: any FileSystem, metadata: String, directory: String = "/data",
                     configuration: Configuration = configuration()) throws -> Spool {
        try Spool.open(at: directory, configuration: configuration, fileSystem: fs, clock: clock, metadataPath: metadata)
    }

    /// Members that the test drives by hand (`heartbeatOnce()`).
    static var manualMember: ConsumerOptions {
        ConsumerOptions(clientID: "reliability", sessionTimeoutMs: 1_800_000, heartbeatIntervalMs: 900_000)
    }

    /// A static member: it survives a restart (awaiting rejoin), whereas the
    /// previous process's dynamic members are removed at open (docs/groups.md).
    static func staticMember(_ instanceID: String) -> ConsumerOptions {
        var options = manualMember
        options.instanceID = instanceID
        return options
    }
}

/// The parts of a group that must survive a restart exactly (presence is
/// soft state and changes by design: every member is awaiting rejoin).
struct DurableGroupState: Equatable, CustomStringConvertible {
    struct Member: Equatable {
        var memberID: String
        var instanceID: String?
        var subscription: [String]
        var assigned: [TopicPartitionID]
        var revoking: [TopicPartitionID]
    }

    var state: String
    var generation: Int
    var assignor: String
    var members: [Member]

    init(_ info: GroupInfo) {
        state = info.state
        generation = info.generation
        assignor = info.assignor
        members = info.members.map {
            Member(memberID: $0.memberID, instanceID: $0.instanceID, subscription: $0.subscription,
                   assigned: $0.assigned, revoking: $0.revoking)
        }
    }

    var description: String {
        "\(state) gen \(generation) \(assignor) " + members.map { "\($0.memberID):\($0.assigned)/\($0.revoking)" }.joined(separator: " ")
    }
}
