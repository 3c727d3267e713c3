// SPDX-License-Identifier: Apache-2.0
// Loop bounds of the reliability suite, read from the environment so CI runs
// a small setting and a developer can run thousands of seeds locally
// (docs/reliability.md lists the counts that were run).
#if canImport(Glibc)
import Glibc
#endif

enum ReliabilityKnobs {
    /// Power-loss seeds (each seed is a whole crash-at-every-sync loop).
    /// `SPOOL_CRASH_SEEDS`, default 20.
    static var crashSeeds: Int { integer("SPOOL_CRASH_SEEDS", default: 20) }
    /// First power-loss seed (to replay one seed: `SPOOL_CRASH_SEED_BASE=N SPOOL_CRASH_SEEDS=1`).
    static var crashSeedBase: Int { integer("SPOOL_CRASH_SEED_BASE", default: 1) }
    /// SIGKILLs of the crash helper. `SPOOL_KILL_ITERATIONS`, default 50.
    static var killIterations: Int { integer("SPOOL_KILL_ITERATIONS", default: 50) }
    /// Mutation-fuzz iterations per target. `SPOOL_FUZZ_ITERATIONS`, default 3,000.
    static var fuzzIterations: Int { integer("SPOOL_FUZZ_ITERATIONS", default: 3_000) }
    /// Random `spool` command lines. `SPOOL_CLI_FUZZ_RUNS`, default 200.
    static var cliFuzzRuns: Int { integer("SPOOL_CLI_FUZZ_RUNS", default: 200) }
    /// Length of the concurrency soak. `SPOOL_SOAK_MS`, default 3,000.
    static var soakMillis: Int { integer("SPOOL_SOAK_MS", default: 3_000) }
    /// When the soak's watchdog calls it a deadlock. `SPOOL_SOAK_DEADLINE_MS`,
    /// default the soak plus 150 s (the drain alone may take up to 120 s on a loaded machine).
    static var soakDeadlineMillis: Int { integer("SPOOL_SOAK_DEADLINE_MS", default: soakMillis + 150_000) }

    static func integer(_ name: String, default value: Int) -> Int {
        guard let raw = getenv(name), let parsed = Int(String(cString: raw)), parsed >= 0 else { return value }
        return parsed
    }
}
