// SPDX-License-Identifier: Apache-2.0
// `spool dump-index FILE [--json]`: the entries of a `.index` (offset →
// position) or `.timeindex` (timestamp → offset) file, told apart by the file
// name, whose 20 digits give the segment base offset. Entries are decoded by
// OffsetIndex / TimeIndex (the owners of those byte layouts). A length that is
// not a whole number of entries, or entries that do not increase, end the
// dump with exit 1 after the good entries before the problem.
import ArgumentParser
import FileIO
import LogStorage

struct DumpIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-index",
        abstract: "Print the entries of a segment .index or .timeindex file, checking their order.",
        discussion: """
            Text lines: 'offset: N position: P' (.index) or 'timestamp: T offset: N' (.timeindex), \
            offsets absolute (segment base offset + relative offset). With --json, objects \
            {"offset","position"} or {"timestamp","offset"}.
            """)

    @Argument(help: ArgumentHelp(
        "An index file named <20-digit base offset>.index or .timeindex.", valueName: "file"))
    var file: String

    @OptionGroup var output: OutputOptions

    /// Base offsets this large would overflow Int64 when a relative offset is added.
    private static let maxBaseOffset = Int64.max - Int64(UInt32.max)

    func validate() throws {
        guard indexFile != nil else {
            throw ValidationError(
                "'\(file)' is not an index file: expected <20-digit base offset>.index or .timeindex")
        }
    }

    /// Base offset and kind from the file name; nil for anything but an index.
    private var indexFile: (baseOffset: Int64, kind: SegmentFileKind)? {
        let name = file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? file
        guard let parsed = LogFileNames.parseSegmentFile(name), parsed.kind != .log else { return nil }
        return parsed
    }

    func run() throws {
        guard let (baseOffset, kind) = indexFile else {
            throw CLIError.usage("'\(file)' is not an index file")
        }
        guard baseOffset <= Self.maxBaseOffset else {
            throw CLIError.runtime("\(file): base offset \(baseOffset) in the file name is too large for a segment")
        }
        let handle: any FileHandle
        do { handle = try PosixFileSystem().open(file, mode: .readOnly) } catch { throw CLIError.io(error, "cannot open") }
        defer { try? handle.close() }
        let size: Int64
        do { size = try handle.size() } catch { throw CLIError.io(error, "cannot stat") }

        let out = StandardOutput()
        defer { try? out.flush() }
        do {
            switch kind {
            case .index:
                try dumpOffsetIndex(OffsetIndex(handle: handle, baseOffset: baseOffset, maxBytes: Int.max), to: out)
                try checkLength(size, entrySize: OffsetIndex.entrySize)
            case .timeIndex:
                try dumpTimeIndex(TimeIndex(handle: handle, baseOffset: baseOffset, maxBytes: Int.max), to: out)
                try checkLength(size, entrySize: TimeIndex.entrySize)
            case .log:
                throw CLIError.usage("'\(file)' is a segment log; use dump-segment")
            }
        } catch let error as StorageError {
            throw CLIError.storage(error)
        }
        try out.flush()
    }

    private func dumpOffsetIndex(_ index: OffsetIndex, to out: StandardOutput) throws {
        var previous: OffsetPosition?
        for i in 0..<index.entryCount {
            let entry = try index.entry(at: i)
            if let p = previous, entry.offset <= p.offset || entry.position <= p.position {
                throw CLIError.runtime(
                    "\(file): entry \(i) at byte position \(i * OffsetIndex.entrySize) "
                        + "(offset: \(entry.offset) position: \(entry.position)) does not increase after "
                        + "entry \(i - 1) (offset: \(p.offset) position: \(p.position))")
            }
            previous = entry
            if output.json {
                var line = JSONObjectLine()
                line.field("offset", entry.offset)
                line.field("position", entry.position)
                try out.line(line.rendered)
            } else {
                try out.line("offset: \(entry.offset) position: \(entry.position)")
            }
        }
    }

    private func dumpTimeIndex(_ index: TimeIndex, to out: StandardOutput) throws {
        var previous: TimestampOffset?
        for i in 0..<index.entryCount {
            let entry = try index.entry(at: i)
            if let p = previous, entry.timestamp <= p.timestamp || entry.offset < p.offset {
                throw CLIError.runtime(
                    "\(file): entry \(i) at byte position \(i * TimeIndex.entrySize) "
                        + "(timestamp: \(entry.timestamp) offset: \(entry.offset)) does not increase after "
                        + "entry \(i - 1) (timestamp: \(p.timestamp) offset: \(p.offset))")
            }
            previous = entry
            if output.json {
                var line = JSONObjectLine()
                line.field("timestamp", entry.timestamp)
                line.field("offset", entry.offset)
                try out.line(line.rendered)
            } else {
                try out.line("timestamp: \(entry.timestamp) offset: \(entry.offset)")
            }
        }
    }

    /// Trailing bytes that do not make a whole entry are damage (a torn write).
    private func checkLength(_ size: Int64, entrySize: Int) throws(CLIError) {
        let trailing = size % Int64(entrySize)
        guard trailing == 0 else {
            throw CLIError.runtime(
                "\(file): length \(size) is not a multiple of the \(entrySize)-byte entry size "
                    + "(\(trailing) trailing bytes at byte position \(size - trailing))")
        }
    }
}
