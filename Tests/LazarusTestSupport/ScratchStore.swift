import Foundation
import LazarusCore
@_spi(Testing) import LazarusStore

/// A fresh database of one test's own: a temporary SQLite file, or a PostgreSQL schema of its own
/// (selected through the URI's `search_path`), removed when the value goes away.
public final class ScratchStore {
    public let backend: Backend
    /// The store URL, for an executable under test or a second connection.
    public let url: String
    public private(set) var store: any Store
    private let cleanup: () -> Void

    /// Creates the database; `migrated` runs the migrations too.
    public init(_ backend: Backend, migrated: Bool = false) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "lazarus-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = "sqlite:\(directory.path)/store.sqlite"
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            guard let base = Backend.postgresURL else { throw TestSupportError("LAZARUS_TEST_POSTGRES_URL is not set") }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try openStore(base)
            try Self.raw(admin, "CREATE SCHEMA \(schema)")
            url = base + "?options=-csearch_path%3D\(schema)"
            cleanup = { _ = try? Self.raw(admin, "DROP SCHEMA \(schema) CASCADE") }
        }
        store = try openStore(url)
        if migrated { try store.migrate() }
    }

    deinit { cleanup() }

    /// Runs raw SQL on the scratch database, as another program would.
    public func raw(_ sql: String) throws { try Self.raw(store, sql) }

    /// The value of an SQL expression as text, read as an independent program would.
    public func value(_ expression: String) throws -> String? {
        guard let raw = store as? any RawSQL else { throw TestSupportError("this store takes no raw SQL") }
        return try raw.rawValue(expression)
    }

    /// A number from raw SQL (`SELECT …`), as an independent reader would compute it; NaN when none.
    public func number(_ query: String) throws -> Double {
        try value("(\(query))").flatMap(Double.init) ?? .nan
    }

    /// Counts rows with raw SQL, bypassing the store API.
    public func count(_ table: String) throws -> Int {
        Int(try value("(SELECT count(*) FROM \(table))") ?? "") ?? -1
    }

    /// Closes and reopens the connection, to check what really reached the database.
    public func reopen() throws { store = try openStore(url) }

    /// A second, independent connection to the same database, as another program would have.
    public func secondConnection() throws -> any Store { try openStore(url) }

    /// Runs raw SQL on any store.
    public static func raw(_ store: any Store, _ sql: String) throws {
        guard let raw = store as? any RawSQL else { throw TestSupportError("this store takes no raw SQL") }
        try raw.executeRaw(sql)
    }
}
