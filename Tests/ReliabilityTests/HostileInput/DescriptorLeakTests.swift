// SPDX-License-Identifier: Apache-2.0
// Found while pinning bug 5: `Spool.close()` leaves every segment's three
// descriptors open until the `Spool` object is deallocated, so a process
// that keeps the closed instance (or reopens in a loop) runs out of them.
import FileIO
@testable import Spool
import Testing

@Suite("File descriptors after close")
struct DescriptorLeakTests {
    static func openDescriptors() -> Int { (try? PosixFileSystem().listDirectory("/proc/self/fd").count) ?? 0 }

    @Test("close() releases the descriptors of every segment, even while the Spool is still referenced")
    func closeReleasesDescriptors() throws {
        let scratch = try ScratchDirectory("descriptors")
        let before = Self.openDescriptors()
        let spool = try Spool.open(at: scratch.appending("data"), configuration: SpoolHarness.configuration())
        try spool.createTopic("wide", partitions: 200)
        try spool.close()
        // 600 segment files were open; other tests running in parallel open far fewer than 100.
        #expect(Self.openDescriptors() - before < 100, "descriptors still open after close()")
        withExtendedLifetime(spool) {}
    }
}
