import Foundation

/// The backends store tests run against. PostgreSQL is a real server started by `scripts/test`.
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// The server `scripts/test` started, `nil` outside it.
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] }

    /// SQLite always; PostgreSQL when a server was provided (always under `scripts/test`).
    public static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// Why a test helper could not do its job.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// Paths in the repository the tests run from.
public enum Repository {
    /// The repository's root directory.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file or directory under the root.
    public static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
