// SPDX-License-Identifier: Apache-2.0
// consume: records/s of ONE plain (group-less) reader reading a whole
// partition back from the page cache through the public API, three ways:
// `batches(...)` iterating each Batch, `records(...)` (one ConsumedRecord at
// a time), and repeated one-shot `read(topic:partition:from:maxBytes:)`.
// Every record is visited and a checksum over the values is compared with
// the checksum of what was produced (CRC is verified by every fetch).
// Setup (untimed): one producer fills the partition with .none.
import Spool

struct ConsumeWorkload: Workload {
    let name = WorkloadName.consume
    let summary = "plain reader, whole partition from page cache: batches / records / read, checksum verified"

    func run(_ context: WorkloadContext) async throws -> [BenchResult] {
        let settings = context.settings
        var results: [BenchResult] = []
        for size in settings.recordSizes {
            let source = RecordBatches(recordSize: size, batchSize: settings.batchSize)
            let records = settings.records(forSize: size)
            let path = try context.directory("consume-\(size)")
            defer { context.discard(path) }
            let spool = try SpoolFixtures.open(path, durability: .none)
            do {
                try spool.createTopic("bench", partitions: 1)
                Progress.line("  consume \(size) B: writing \(formatCount(records)) records (untimed)")
                let expected = try await SpoolFixtures.fill(spool, topic: "bench", source: source, records: records)
                let bytes = try SpoolFixtures.bytesOnDisk(spool, topic: "bench")
                for variant in ["batches", "records", "read"] {
                    var result = try await context.measure("consume \(size) B \(variant)") {
                        let (seconds, checksum) = try await readAll(spool, variant: variant, end: Int64(records))
                        var r = BenchResult(workload: name, variant: variant, recordSize: size, durability: .notApplicable,
                                            records: checksum.count, seconds: seconds, bytes: bytes)
                        r.checksumOK = checksum == expected
                        if checksum != expected {
                            r.notes.append("expected \(expected.text), read \(checksum.text)")
                        }
                        return r
                    }
                    if size == 100, variant == "batches" {
                        result.targets.append(("≥ 25 M records/s, CRC verified", result.recordsPerSecond >= 25e6))
                    }
                    results.append(result)
                }
                try spool.close()
            } catch {
                try? spool.close()
                throw error
            }
        }
        return results
    }

    /// Reads offsets [0, end) of bench-0; returns the time and the checksum.
    private func readAll(_ spool: Spool, variant: String, end: Int64) async throws -> (Double, RecordChecksum) {
        var checksum = RecordChecksum()
        let watch = Stopwatch()
        switch variant {
        case "batches":
            for try await batch in try spool.batches(topic: "bench", partition: 0, from: .earliest) {
                for record in batch {
                    if let value = record.value { checksum.add(hash: value.withUnsafeBytes(RecordChecksum.hash)) }
                }
                if batch.nextOffset >= end { break }
            }
        case "records":
            for try await record in try spool.records(topic: "bench", partition: 0, from: .earliest) {
                if let value = record.value { checksum.add(hash: value.withUnsafeBytes(RecordChecksum.hash)) }
                if record.offset + 1 >= end { break }
            }
        default:
            var offset: Int64 = 0
            while offset < end {
                let batch = try spool.read(topic: "bench", partition: 0, from: offset)
                if batch.isEmpty { throw BenchError("read returned nothing at offset \(offset) of \(end)") }
                for record in batch {
                    if let value = record.value { checksum.add(hash: value.withUnsafeBytes(RecordChecksum.hash)) }
                }
                offset = batch.nextOffset
            }
        }
        return (watch.seconds, checksum)
    }
}
