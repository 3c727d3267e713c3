// SPDX-License-Identifier: Apache-2.0
// The segment every CLI dump test starts from: base offset 100, three
// batches covering text, null, empty, binary and escaped keys, values and
// headers, with every batch after the first indexed.
import LogStorage

enum CLITestData {
    static let baseOffset: Int64 = 100

    static let batches: [[FixtureRecord]] = [
        [
            FixtureRecord(key: "order-1".bytes, value: "hello".bytes, timestamp: 1_700_000_000_000,
                          headers: [RecordHeaderInput(key: "trace".bytes, value: "abc".bytes)]),
            FixtureRecord(key: nil, value: "say \"hi\"\\\n\t\u{01}é".bytes, timestamp: 1_700_000_000_005),
        ],
        [
            FixtureRecord(key: [0xFF, 0x00, 0x01], value: [0x00, 0x01, 0x02, 0xFE], timestamp: 1_700_000_000_010,
                          headers: [RecordHeaderInput(key: "bin".bytes, value: [0xC3]),
                                    RecordHeaderInput(key: "none".bytes, value: nil)]),
        ],
        [
            FixtureRecord(key: [], value: nil, timestamp: 1_700_000_000_020),
        ],
    ]

    static func segment() throws -> SegmentFixture {
        try SegmentFixture(baseOffset: baseOffset, batches: batches)
    }
}
