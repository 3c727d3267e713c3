// SPDX-License-Identifier: Apache-2.0
// Prebuilt batches of public `Record`s for the produce paths: `phases`
// arrays of `batchSize` records whose values are the shared ValuePool
// arrays, so sending allocates nothing in the benchmark itself, plus the
// checksum of every batch so readers can verify what came back.
import Spool

struct RecordBatches: Sendable {
    let recordSize: Int
    let batchSize: Int
    private let batches: [[Record]]
    private let checksums: [RecordChecksum]

    init(recordSize: Int, batchSize: Int, phases: Int = ValuePool.slots) {
        let values = ValuePool.values(size: recordSize)
        var batches: [[Record]] = []
        var checksums: [RecordChecksum] = []
        for phase in 0..<phases {
            var records: [Record] = []
            records.reserveCapacity(batchSize)
            var checksum = RecordChecksum()
            for j in 0..<batchSize {
                let value = values[(phase &* batchSize &+ j) % values.count]
                records.append(Record(key: nil, value: value))
                checksum.add(value)
            }
            batches.append(records)
            checksums.append(checksum)
        }
        self.recordSize = recordSize
        self.batchSize = batchSize
        self.batches = batches
        self.checksums = checksums
    }

    /// The records of batch number `index` (full size).
    func batch(_ index: Int) -> [Record] { batches[index % batches.count] }

    /// The first `count` records of batch `index` and their checksum.
    func batch(_ index: Int, count: Int) -> (records: [Record], checksum: RecordChecksum) {
        let full = batch(index)
        if count >= full.count { return (full, checksums[index % checksums.count]) }
        let part = Array(full.prefix(count))
        var checksum = RecordChecksum()
        for r in part { if let v = r.value { checksum.add(v) } }
        return (part, checksum)
    }

    /// Batch numbers and sizes that make up `records` records.
    func plan(records: Int) -> [(index: Int, count: Int)] {
        var out: [(Int, Int)] = []
        var left = records
        var index = 0
        while left > 0 {
            let n = min(batchSize, left)
            out.append((index, n))
            left -= n
            index += 1
        }
        return out
    }

    /// Checksum of everything `plan(records:)` sends.
    func expectedChecksum(records: Int) -> RecordChecksum {
        var total = RecordChecksum()
        for (index, count) in plan(records: records) { total.merge(batch(index, count: count).checksum) }
        return total
    }
}
