// SPDX-License-Identifier: Apache-2.0
// One RecordBatch v2 frame of ValuePool values, encoded once with the
// storage layer's builder: the "same bytes" the reference workloads write,
// and the unit the recover workload appends to build a large log quickly.
import LogStorage

/// One encoded batch appended over and over (the partition stamps each
/// copy's base offset in place, which lies outside the CRC).
final class EncodedFrame {
    let batchBytes: Int
    let recordsPerBatch: Int
    private let storage: UnsafeMutableRawBufferPointer

    init(recordSize: Int, count: Int) {
        let builder = RecordBatchBuilder(initialCapacity: count * (recordSize + 32) + 256)
        let values = ValuePool.values(size: recordSize)
        for i in 0..<count {
            values[i % values.count].withUnsafeBytes {
                builder.append(key: nil, value: $0, timestamp: 1_700_000_000_000 + Int64(i))
            }
        }
        let encoded = builder.finish()
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: encoded.count, alignment: 64)
        storage.copyMemory(from: UnsafeRawBufferPointer(encoded))
        batchBytes = encoded.count
        recordsPerBatch = count
    }

    deinit { storage.deallocate() }

    /// The encoded bytes (valid while this object lives).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(storage) }

    /// Records in a log of at least `bytes` written by `append`.
    func records(forBytes bytes: Int64) -> Int64 {
        (bytes + Int64(batchBytes) - 1) / Int64(batchBytes) * Int64(recordsPerBatch)
    }

    /// Appends copies of the batch until at least `bytes` were written.
    /// Not concurrent: one caller at a time (the base offset is stamped in place).
    func append(to partition: Partition, bytes: Int64) async throws {
        var written: Int64 = 0
        while written < bytes {
            _ = try await partition.append(storage)
            written += Int64(batchBytes)
        }
    }
}
