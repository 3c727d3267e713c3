// SPDX-License-Identifier: Apache-2.0
// What a workload is: a name from the JSON contract, a one-line summary and
// a run that returns one result per measured case.

protocol Workload: Sendable {
    var name: WorkloadName { get }
    /// What it measures, one line (shown in --help and progress).
    var summary: String { get }
    func run(_ context: WorkloadContext) async throws -> [BenchResult]
}

/// A failure inside the benchmark itself (setup, a wrong count), with the
/// workload and the cause.
struct BenchError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
