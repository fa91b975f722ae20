import Testing

@testable import LazarusMetrics

@Suite("Ingest sequence tracking")
struct SequenceTrackerTests {
    @Test("a value that commits late, below values already read, is read once")
    func lateCommit() {
        var tracker = SequenceTracker(gapTimeout: 60, maxHeld: 100)
        #expect([1, 2, 4, 5].map { tracker.admit($0) } == [true, true, true, true])
        tracker.settle(now: 0)
        #expect(tracker.floor == 2)  // 3 is still open
        #expect(tracker.admit(4) == false)  // read again by the next refresh: skipped
        #expect(tracker.admit(3) == true)
        tracker.settle(now: 1)
        #expect(tracker.floor == 5)
        #expect(tracker.heldCount == 0)
        #expect(tracker.admit(3) == false)
    }

    @Test("a gap open longer than the timeout is stepped over, exactly at the timeout")
    func gapTimeout() {
        var tracker = SequenceTracker(gapTimeout: 60, maxHeld: 100)
        _ = [1, 3, 4].map { tracker.admit($0) }
        tracker.settle(now: 100)
        #expect(tracker.floor == 1)
        tracker.settle(now: 159.9)
        #expect(tracker.floor == 1)
        tracker.settle(now: 160)
        #expect(tracker.floor == 4)
        #expect(tracker.admit(2) == false)  // a rollback's value, given up on
    }

    @Test("a gap that opens after another closed gets its own clock")
    func newGapNewClock() {
        var tracker = SequenceTracker(gapTimeout: 60, maxHeld: 100)
        _ = [1, 3, 5].map { tracker.admit($0) }
        tracker.settle(now: 0)
        _ = tracker.admit(2)
        tracker.settle(now: 50)
        #expect(tracker.floor == 3)
        tracker.settle(now: 70)  // the gap at 4 opened at 50, not at 0
        #expect(tracker.floor == 3)
        tracker.settle(now: 110)
        #expect(tracker.floor == 5)
    }

    @Test("memory stays bounded behind a gap that never closes")
    func bounded() {
        var tracker = SequenceTracker(gapTimeout: 1e9, maxHeld: 1_000)
        _ = tracker.admit(1)
        for value in Int64(3)...Int64(10_000) { _ = tracker.admit(value) }
        #expect(tracker.heldCount <= 1_000)
        tracker.settle(now: 0)
        #expect(tracker.floor == 10_000)
        #expect(tracker.admit(10_000) == false)
        #expect(tracker.admit(10_001) == true)
    }

    @Test("a cold start holds the recent values and still reads the missing ones")
    func coldStart() {
        var tracker = SequenceTracker()
        tracker.start(floor: 90, recent: [91, 92, 94])
        #expect(tracker.admit(92) == false)
        #expect(tracker.admit(93) == true)
        #expect(tracker.admit(95) == true)
        tracker.settle(now: 0)
        #expect(tracker.floor == 95)
    }
}
