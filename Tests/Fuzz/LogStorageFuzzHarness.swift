// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point over LogStorage's parsers of on-disk bytes (built by
// Tests/Fuzz/run-libfuzzer.sh, never by `swift build` / `swift test`).
// The first input byte picks the target; the rest is the file content:
//   0: RecordBatchHeader.parse + RecordBatchView + full record walk
//   1: OffsetCheckpointFile.parse
//   2: OffsetIndex over the bytes (sanityCheck, lookups)
//   3: TimeIndex over the bytes (sanityCheck, lookups)
// A trap, an ASan report or a leak is a finding; a thrown StorageError is not.
import FileIO
import LogStorage

@_cdecl("LLVMFuzzerTestOneInput")
public func spoolFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch selector % 4 {
    case 0: fuzzRecordBatch(body)
    case 1: _ = try? OffsetCheckpointFile.parse(body, path: "/fuzz")
    case 2: fuzzOffsetIndex(body)
    default: fuzzTimeIndex(body)
    }
    return 0
}

private func fuzzRecordBatch(_ body: [UInt8]) {
    body.withUnsafeBytes { raw in
        guard let header = try? RecordBatchHeader.parse(raw), header.totalSize <= raw.count else { return }
        guard let view = try? RecordBatchView(UnsafeRawBufferPointer(rebasing: raw[0..<header.totalSize])) else { return }
        _ = view.verifyCRC()
        _ = try? view.validate()
        var records = view.makeRecordIterator()
        while let record = try? records.next() {
            var headers = record.makeHeaderIterator()
            while (try? headers.next()) != nil {}
        }
    }
}

private let memory = InMemoryFileSystem()

private func fuzzOffsetIndex(_ body: [UInt8]) {
    guard (try? memory.writeFile("/i.index", body)) != nil, let handle = try? memory.open("/i.index", mode: .readWrite) else { return }
    defer { try? handle.close() }
    guard let index = try? OffsetIndex(handle: handle, baseOffset: 1 << 32) else { return }
    _ = try? index.sanityCheck(logSize: 1 << 20, full: true)
    for target: Int64 in [0, 1 << 32, (1 << 32) + 100, Int64.max] { _ = try? index.lookup(target, entryCount: index.entryCount) }
}

private func fuzzTimeIndex(_ body: [UInt8]) {
    guard (try? memory.writeFile("/t.timeindex", body)) != nil, let handle = try? memory.open("/t.timeindex", mode: .readWrite) else { return }
    defer { try? handle.close() }
    guard let index = try? TimeIndex(handle: handle, baseOffset: 1 << 32) else { return }
    _ = try? index.sanityCheck(nextOffset: (1 << 32) + 1_000, full: true)
    for target: Int64 in [Int64.min, 0, 1_700_000_000_000, Int64.max] { _ = try? index.lookup(target, entryCount: index.entryCount) }
}
