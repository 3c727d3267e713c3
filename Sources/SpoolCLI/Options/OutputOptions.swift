// SPDX-License-Identifier: Apache-2.0
// `--json` for every read command: one JSON object per line instead of text.
import ArgumentParser

/// Include in a read command with `@OptionGroup var output: OutputOptions`.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object per line instead of text.")
    var json = false
}
