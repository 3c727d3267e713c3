// SPDX-License-Identifier: Apache-2.0
// Bounds-checked readers for the fields of a Record (varints, varlongs and
// length-prefixed byte slices), shared by RecordIterator and
// RecordHeaderIterator. Each takes the field's start and the end it must not
// reach, returns the value and the pointer just after it, and turns any
// malformation into StorageError(.corruption) at a batch-relative position.

enum RecordFieldReader {
    @inline(__always)
    static func readVarint(
        at p: UnsafeRawPointer, end: UnsafeRawPointer, batchStart: UnsafeRawPointer, field: StaticString
    ) throws(StorageError) -> (Int32, UnsafeRawPointer) {
        do throws(VarintError) {
            let (value, length) = try Varint.readVarint(p, end: end)
            return (value, p + length)
        } catch {
            throw varintFailure(error, at: p, batchStart: batchStart, field: field, maxBytes: Varint.maxVarintBytes)
        }
    }

    @inline(__always)
    static func readVarlong(
        at p: UnsafeRawPointer, end: UnsafeRawPointer, batchStart: UnsafeRawPointer, field: StaticString
    ) throws(StorageError) -> (Int64, UnsafeRawPointer) {
        do throws(VarintError) {
            let (value, length) = try Varint.readVarlong(p, end: end)
            return (value, p + length)
        } catch {
            throw varintFailure(error, at: p, batchStart: batchStart, field: field, maxBytes: Varint.maxVarlongBytes)
        }
    }

    /// A varint length followed by that many bytes; length -1 is null (only
    /// when `allowNull`), other negatives and lengths past `end` are corruption.
    @inline(__always)
    static func readBytes(
        at p: UnsafeRawPointer, end: UnsafeRawPointer, batchStart: UnsafeRawPointer,
        field: StaticString, allowNull: Bool
    ) throws(StorageError) -> (UnsafeRawBufferPointer?, UnsafeRawPointer) {
        let (length, data) = try readVarint(at: p, end: end, batchStart: batchStart, field: field)
        if length >= 0 {
            let available = data.distance(to: end)
            guard Int(length) <= available else {
                throw lengthTooLong(field, length, available: available, at: p, batchStart: batchStart)
            }
            return (UnsafeRawBufferPointer(start: data, count: Int(length)), data + Int(length))
        }
        guard allowNull, length == RecordBatchFormat.nullLength else {
            throw lengthInvalid(field, length, allowNull: allowNull, at: p, batchStart: batchStart)
        }
        return (nil, data)
    }

    // MARK: Cold error construction (kept out of line so the hot path stays small)

    @inline(never)
    private static func lengthTooLong(
        _ field: StaticString, _ length: Int32, available: Int, at p: UnsafeRawPointer, batchStart: UnsafeRawPointer
    ) -> StorageError {
        corruption("\(field) length \(length) exceeds the \(available) bytes left in the record",
                   at: p, batchStart: batchStart)
    }

    @inline(never)
    private static func lengthInvalid(
        _ field: StaticString, _ length: Int32, allowNull: Bool, at p: UnsafeRawPointer, batchStart: UnsafeRawPointer
    ) -> StorageError {
        corruption(
            allowNull
                ? "\(field) length \(length) is invalid (must be -1 for null or >= 0)"
                : "\(field) length \(length) is invalid (must be >= 0; it cannot be null)",
            at: p, batchStart: batchStart)
    }

    @inline(never)
    private static func varintFailure(
        _ error: VarintError, at p: UnsafeRawPointer, batchStart: UnsafeRawPointer,
        field: StaticString, maxBytes: Int
    ) -> StorageError {
        switch error {
        case .truncated:
            return corruption("\(field) varint runs past the end of its record", at: p, batchStart: batchStart)
        case .overflow:
            return corruption(
                "\(field) varint is longer than \(maxBytes) bytes or overflows \(maxBytes == 5 ? 32 : 64) bits",
                at: p, batchStart: batchStart)
        }
    }

    @inline(never)
    static func corruption(_ message: String, at p: UnsafeRawPointer, batchStart: UnsafeRawPointer) -> StorageError {
        StorageError(.corruption, message, position: Int64(batchStart.distance(to: p)))
    }
}
