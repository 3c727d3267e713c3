// SPDX-License-Identifier: Apache-2.0
// raw-write (reference): the physical limit of this disk for the bytes
// Spool writes. The same encoded RecordBatch bytes, as many as the produce
// workload writes for each record size, written with plain write(2) in
// 1 MiB chunks to one file, without sync (page cache) and with fdatasync
// after every chunk. Timed: the writes and syncs (open and unlink outside).
#if canImport(Glibc)
import Glibc
#endif

struct RawWriteWorkload: Workload {
    let name = WorkloadName.rawWrite
    let summary = "write(2) of the same bytes in 1 MiB chunks, no sync and fdatasync per chunk"

    static let chunkBytes = 1 << 20

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        for size in settings.recordSizes {
            let records = settings.records(forSize: size)
            let frame = EncodedFrame(recordSize: size, count: settings.batchSize)
            let batches = (records + settings.batchSize - 1) / settings.batchSize
            let total = Int64(batches) * Int64(frame.batchBytes)
            // A 1 MiB chunk made of whole frames, cyclically (the content is Spool's bytes).
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkBytes, alignment: 4096)
            defer { chunk.deallocate() }
            var filled = 0
            while filled < Self.chunkBytes {
                let n = min(frame.batchBytes, Self.chunkBytes - filled)
                UnsafeMutableRawBufferPointer(rebasing: chunk[filled..<(filled + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: frame.bytes[0..<n]))
                filled += n
            }
            for sync in [false, true] {
                let variant = sync ? "fdatasync" : "nosync"
                results.append(try await context.measure("raw-write \(size) B \(variant)", primeBytes: total) {
                    let dir = try context.createdDirectory("raw-write-\(size)-\(variant)")
                    defer { context.discard(dir) }
                    let seconds = try write(path: dir + "/data", chunk: UnsafeRawBufferPointer(chunk), total: total, sync: sync)
                    var r = BenchResult(workload: name, variant: variant, recordSize: size, durability: .notApplicable,
                                        records: records, seconds: seconds, bytes: total)
                    r.notes.append("\(formatBytes(total)) in 1 MiB write(2) calls\(sync ? ", fdatasync after each" : "")")
                    return r
                })
            }
        }
        return results
    }

    private func write(path: String, chunk: UnsafeRawBufferPointer, total: Int64, sync: Bool) throws -> Double {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("open \(path): errno \(errno)") }
        defer { close(fd) }
        guard let base = chunk.baseAddress else { throw BenchError("empty chunk") }
        let watch = Stopwatch()
        var written: Int64 = 0
        while written < total {
            let want = Int(min(Int64(chunk.count), total - written))
            var done = 0
            while done < want {
                let n = Glibc.write(fd, base + done, want - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BenchError("write \(path): errno \(errno)")
                }
                done += n
            }
            if sync, fdatasync(fd) != 0 { throw BenchError("fdatasync \(path): errno \(errno)") }
            written += Int64(want)
        }
        return watch.seconds
    }
}
