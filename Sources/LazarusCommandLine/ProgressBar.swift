import Foundation
import LazarusCore

/// A progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes stay clean).
public final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private var lastPercent = -1

    /// Creates a bar.
    /// - Parameters:
    ///   - label: what is being counted, e.g. "simulating".
    ///   - total: the count at 100 %.
    ///   - enabled: whether to draw; by default, when stderr is a terminal.
    public init(_ label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Shows `done` of the total; redraws only when the whole percentage changes.
    public func update(_ done: Int) {
        guard enabled else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line =
            "\r\(label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(bar) \(percent)% "
            + "\(Format.count(min(done, total)))/\(Format.count(total))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Completes the bar and moves to a new line.
    public func finish() {
        guard enabled else { return }
        update(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// A sequence that reports how many of its elements have been consumed, every `step` elements.
public struct ProgressSequence<Base: Sequence>: Sequence {
    let base: Base
    let step: Int
    let report: (Int) -> Void

    /// Wraps a sequence.
    /// - Parameters:
    ///   - base: the elements.
    ///   - step: report every this many elements.
    ///   - report: called with the number consumed so far.
    public init(_ base: Base, every step: Int = 10_000, report: @escaping (Int) -> Void) {
        self.base = base
        self.step = Swift.max(step, 1)
        self.report = report
    }

    public func makeIterator() -> Iterator { Iterator(base: base.makeIterator(), step: step, report: report) }

    /// The wrapped iterator.
    public struct Iterator: IteratorProtocol {
        var base: Base.Iterator
        let step: Int
        let report: (Int) -> Void
        var consumed = 0

        public mutating func next() -> Base.Element? {
            guard let element = base.next() else { return nil }
            consumed += 1
            if consumed % step == 0 { report(consumed) }
            return element
        }
    }
}
