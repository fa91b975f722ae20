import Foundation
import LazarusCore
import Testing

@testable import LazarusStore

/// The backends the exporter's store tests run on. PostgreSQL is a real server started by `scripts/test`.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] }

    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// An empty, migrated database for one test: a temporary SQLite file or a PostgreSQL schema of its own.
final class ScratchDatabase {
    let url: String
    let store: any Store
    private let cleanup: () -> Void

    init(_ backend: Backend) throws {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "lazarus-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = "sqlite:\(directory.path)/store.sqlite"
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            let base = try #require(Backend.postgresURL)
            let schema = "x_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresConnection(uri: base)
            try admin.execute("CREATE SCHEMA \(schema)")
            url = base + "?options=-csearch_path%3D\(schema)"
            cleanup = { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        }
        store = try openStore(url)
        try store.migrate()
    }

    deinit { cleanup() }

    /// A second, independent PostgreSQL connection to the same schema, as another writer would have.
    func postgresConnection() throws -> PostgresConnection {
        try PostgresConnection(uri: String(url))
    }

    /// Runs raw SQL, as another program writing the tables would.
    func raw(_ sql: String) throws {
        switch store {
        case let sqlite as SQLiteStore: try sqlite.connection.execute(sql)
        case let postgres as PostgresStore: try postgres.connection.execute(sql)
        default: Issue.record("unknown store")
        }
    }

    /// One number from raw SQL, as an independent reader would compute it.
    func number(_ sql: String) throws -> Double {
        switch store {
        case let sqlite as SQLiteStore:
            let statement = try sqlite.connection.prepare(sql)
            _ = try statement.step()
            return try statement.double(0) ?? 0
        case let postgres as PostgresStore:
            return Double(try postgres.connection.execute(sql).string(0, 0) ?? "0") ?? .nan
        default:
            Issue.record("unknown store")
            return .nan
        }
    }
}
