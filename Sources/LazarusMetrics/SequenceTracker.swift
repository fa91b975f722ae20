/// Which ingest sequence values of one table have been read, so that each row is counted exactly once
/// even when the values commit out of order.
///
/// PostgreSQL hands out identity values when a row is inserted, not when its transaction commits: a
/// reader that only asks for `ingest_seq > highest seen` misses a row whose transaction took value 7,
/// committed after the one that took value 8. So the tracker keeps a floor (every value at or below it
/// is done) and the values read above it. Reads ask for everything above the floor, skip what was
/// seen, and the floor advances over each contiguous run. A gap that stays open longer than
/// `gapTimeout` seconds, or while more than `maxHeld` values pile up above it, is taken as a value
/// that will never commit (a rolled-back insert) and stepped over; a row committing later still is
/// missed, the one loss this bounded memory accepts.
public struct SequenceTracker: Sendable {
    /// Every value at or below this has been read or given up on; `nil` before the first read.
    public private(set) var floor: Int64?
    /// Values read above the floor.
    private var held: Set<Int64> = []
    /// The floor at which the gap just above it was first seen open, and when.
    private var gapOpenedAt: (floor: Int64, at: Double)?
    /// Seconds a gap may stay open before it is stepped over.
    public var gapTimeout: Double
    /// Values that may be held above an open gap before it is stepped over.
    public var maxHeld: Int

    /// Creates a tracker that has read nothing.
    /// - Parameters:
    ///   - gapTimeout: seconds a gap may stay open (a transaction that long is unusual for a log writer).
    ///   - maxHeld: the most values held above a gap, which bounds memory whatever the table's size.
    public init(gapTimeout: Double = 300, maxHeld: Int = 200_000) {
        self.gapTimeout = gapTimeout
        self.maxHeld = maxHeld
    }

    /// Values held above the floor (for tests and logs).
    public var heldCount: Int { held.count }

    /// Whether `value` is new: `true` records it and the row should be counted, `false` means it was read
    /// before (or is below the floor) and must be skipped. Reads must come in ascending order (incremental
    /// reads are ordered by `ingest_seq`): past `maxHeld` values, the lowest gaps are stepped over at once.
    public mutating func admit(_ value: Int64) -> Bool {
        if let floor, value <= floor { return false }
        guard held.insert(value).inserted else { return false }
        if held.count > maxHeld { compact() }
        return true
    }

    /// Advances the floor over contiguous values, then over the lowest gaps until at most half of
    /// `maxHeld` values are held.
    private mutating func compact() {
        var sorted = held.sorted()
        var base = floor ?? (sorted[0] - 1)
        var index = 0
        while index < sorted.count, sorted.count - index > maxHeld / 2 || sorted[index] == base + 1 {
            base = sorted[index]
            index += 1
        }
        sorted.removeFirst(index)
        held = Set(sorted)
        floor = base
        gapOpenedAt = nil
    }

    /// Starts from a cold pass that counted every row at or below `floor` and the `recent` values above
    /// it, which are held: values in that range not yet committed will still be read when they are.
    public mutating func start(floor: Int64?, recent: some Sequence<Int64>) {
        self.floor = floor
        held = Set(recent)
        gapOpenedAt = nil
        advance()
    }

    /// Moves the floor up over the values held just above it.
    private mutating func advance() {
        guard var base = floor ?? held.min().map({ $0 - 1 }) else { return }
        while held.remove(base + 1) != nil { base += 1 }
        floor = base
    }

    /// Advances the floor over what was read; call after each refresh has been applied.
    /// - Parameter now: the current time in seconds (any epoch, used only for differences).
    public mutating func settle(now: Double) {
        advance()
        guard let lowest = held.min(), let floor else { return gapOpenedAt = nil }
        // A new gap (the floor moved since) starts its own clock.
        if gapOpenedAt?.floor != floor { gapOpenedAt = (floor, now) }
        guard now - gapOpenedAt!.at >= gapTimeout || held.count > maxHeld else { return }
        // Give up on the gap: step over it and carry on from the next value read.
        self.floor = lowest - 1
        gapOpenedAt = nil
        settle(now: now)
    }
}

extension SequenceTracker {
    /// A tracker with the same settings that has seen nothing, for a rebuild.
    var restarted: SequenceTracker {
        var fresh = SequenceTracker()
        (fresh.gapTimeout, fresh.maxHeld) = (gapTimeout, maxHeld)
        return fresh
    }
}
