// SPDX-License-Identifier: Apache-2.0
// Options every data-directory command shares (architecture.md §8):
// `--data DIR`, defaulting to $SPOOL_DATA, else ./spool-data.
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Include in a subcommand with `@OptionGroup var global: GlobalOptions`.
struct GlobalOptions: ParsableArguments {
    static let environmentVariable = "SPOOL_DATA"
    static let fallbackDirectory = "./spool-data"

    @Option(name: .long, help: ArgumentHelp(
        "The Spool data directory (default: $SPOOL_DATA, else ./spool-data).", valueName: "dir"))
    var data: String?

    func validate() throws {
        if let data, data.isEmpty { throw ValidationError("--data must not be empty") }
    }

    /// The directory to open: `--data`, else a non-empty $SPOOL_DATA, else ./spool-data.
    var dataDirectory: String {
        if let data { return data }
        if let raw = getenv(Self.environmentVariable) {
            let value = String(cString: raw)
            if !value.isEmpty { return value }
        }
        return Self.fallbackDirectory
    }
}
