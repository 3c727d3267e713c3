// SPDX-License-Identifier: Apache-2.0
// `spool dump-segment FILE [--json]`: every record of a segment `.log` file,
// one line each (like Kafka's `kafka-dump-log --print-data-log`). Each batch's
// header, length and CRC-32C are checked and its records fully walked before
// any of them is printed; the first bad batch stops the dump with exit 1
// after the good records before it.
import ArgumentParser
import FileIO
import LogStorage

struct DumpSegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-segment",
        abstract: "Print every record of a segment .log file, checking each batch.",
        discussion: """
            Text lines: batchBaseOffset, position (of the batch in the file), offset, timestamp, \
            key, value, headers. Keys and values print as quoted strings when they are UTF-8, \
            null when null, base64:... otherwise. With --json, fields batchBaseOffset, position, \
            offset, timestamp, key, value, headers ([{key, value}]); bytes that are not UTF-8 \
            appear as keyBase64 / valueBase64 instead of key / value.
            """)

    @Argument(help: ArgumentHelp("A segment file, e.g. orders-0/00000000000000000000.log.", valueName: "file"))
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let handle: any FileHandle
        do { handle = try PosixFileSystem().open(file, mode: .readOnly) } catch { throw CLIError.io(error, "cannot open") }
        defer { try? handle.close() }
        let size: Int64
        do { size = try handle.size() } catch { throw CLIError.io(error, "cannot stat") }

        let out = StandardOutput()
        // Records already printed reach stdout even when a later batch is bad.
        defer { try? out.flush() }
        var scanner = SegmentScanner(handle: handle, from: 0, end: size, validation: .crc)
        while true {
            let scanned: ScannedBatch?
            do { scanned = try scanner.next() } catch {
                throw CLIError.batch(error, file: file, batchPosition: scanner.position)
            }
            guard let batch = scanned else { break }
            try dump(batch, to: out)
        }
        try out.flush()
    }

    private func dump(_ batch: ScannedBatch, to out: StandardOutput) throws(CLIError) {
        // Decoder positions are relative to the batch start; report them the
        // way SegmentScanner does (batch position, detail in the message).
        func located(_ error: StorageError) -> CLIError {
            var e = error
            if let inner = error.position, inner != 0 { e.message += " (byte \(inner) of the batch)" }
            e.position = batch.position
            return CLIError.batch(e, file: file, batchPosition: batch.position)
        }
        let view: RecordBatchView
        do { view = try RecordBatchView(batch.bytes) } catch { throw located(error) }
        // Walk the whole batch first so no record of a bad batch is printed.
        var check = view.makeRecordIterator()
        do { while try check.next() != nil {} } catch { throw located(error) }

        var records = view.makeRecordIterator()
        while true {
            let next: RecordView?
            do { next = try records.next() } catch { throw located(error) }
            guard let record = next else { break }
            let text: String
            do { text = try render(record, batch: batch) } catch { throw located(error) }
            try out.line(text)
        }
    }

    private func render(_ record: RecordView, batch: ScannedBatch) throws(StorageError) -> String {
        let key = RecordBytes(record.key)
        let value = RecordBytes(record.value)
        var headers: [(key: RecordBytes, value: RecordBytes)] = []
        var iterator = record.makeHeaderIterator()
        while let header = try iterator.next() {
            headers.append((RecordBytes(header.key), RecordBytes(header.value)))
        }
        if output.json {
            var line = JSONObjectLine()
            line.field("batchBaseOffset", batch.header.baseOffset)
            line.field("position", batch.position)
            line.field("offset", record.offset)
            line.field("timestamp", record.timestamp)
            line.field("key", bytes: key)
            line.field("value", bytes: value)
            let rendered = headers.map { header in
                var object = JSONObjectLine()
                object.field("key", bytes: header.key)
                object.field("value", bytes: header.value)
                return object.rendered
            }
            line.field("headers", rawJSON: "[" + rendered.joined(separator: ",") + "]")
            return line.rendered
        }
        let renderedHeaders = headers.map { "\($0.key.textRendering): \($0.value.textRendering)" }
        return "batchBaseOffset: \(batch.header.baseOffset) position: \(batch.position) "
            + "offset: \(record.offset) timestamp: \(record.timestamp) "
            + "key: \(key.textRendering) value: \(value.textRendering) "
            + "headers: [" + renderedHeaders.joined(separator: ", ") + "]"
    }
}
