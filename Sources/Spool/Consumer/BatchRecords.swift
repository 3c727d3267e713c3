// SPDX-License-Identifier: Apache-2.0
// Any sequence of batches, flattened to records (`records` of plain readers
// and of group consumers).

/// The records of a sequence of `Batch`es, in order.
public struct BatchRecords<Batches: AsyncSequence & Sendable>: AsyncSequence, Sendable where Batches.Element == Batch {
    public typealias Element = ConsumedRecord
    let batches: Batches

    init(batches: Batches) { self.batches = batches }

    public func makeAsyncIterator() -> Iterator { Iterator(batches: batches.makeAsyncIterator()) }

    public struct Iterator: AsyncIteratorProtocol {
        var batches: Batches.AsyncIterator
        var current: Batch.Iterator?

        /// The next record; nil when the batches end.
        /// - Throws: what the underlying batch sequence throws.
        public mutating func next() async throws -> ConsumedRecord? {
            while true {
                if let r = current?.next() { return r }
                guard let batch = try await batches.next() else { return nil }
                current = batch.makeIterator()
            }
        }
    }
}
