import Foundation
import LazarusCore
import Testing

@testable import LazarusStore

/// The backends every store test runs against. PostgreSQL is a real server started by `scripts/test`.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] }

    /// SQLite always; PostgreSQL when a server was provided (always under `scripts/test`).
    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// A fresh, empty database for one test: a temporary SQLite file, or a PostgreSQL schema of its own
/// (selected through the URI's `search_path`), removed when the test ends.
final class ScratchStore {
    let backend: Backend
    let url: String
    private(set) var store: any Store
    private let cleanup: () -> Void

    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "lazarus-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = "sqlite:\(directory.path)/store.sqlite"
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            let base = try #require(Backend.postgresURL)
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresConnection(uri: base)
            try admin.execute("CREATE SCHEMA \(schema)")
            url = base + "?options=-csearch_path%3D\(schema)"
            cleanup = { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        }
        store = try openStore(url)
    }

    deinit { cleanup() }

    /// Runs raw SQL on the scratch database, as another program would.
    func raw(_ sql: String) throws {
        switch store {
        case let sqlite as SQLiteStore: try sqlite.connection.execute(sql)
        case let postgres as PostgresStore: try postgres.connection.execute(sql)
        default: Issue.record("unknown store type")
        }
    }

    /// Counts rows with raw SQL, bypassing the store API.
    func count(_ table: String) throws -> Int {
        switch store {
        case let sqlite as SQLiteStore:
            let statement = try sqlite.connection.prepare("SELECT COUNT(*) FROM \(table)")
            _ = try statement.step()
            return try statement.int(0) ?? -1
        case let postgres as PostgresStore:
            return Int(try postgres.connection.execute("SELECT count(*) FROM \(table)").string(0, 0) ?? "") ?? -1
        default:
            return -1
        }
    }

    /// Closes and reopens the connection, to check what really reached the database.
    func reopen() throws {
        store = try openStore(url)
    }
}

/// Deterministic rows with every awkward value a store must keep: nulls, non-ASCII text, extremes.
enum Fixtures {
    static let start = Timestamp(seconds: 1_795_448_264)

    static func decision(_ i: Int, at time: Timestamp? = nil) -> DecisionRow {
        let sparse = i % 7 == 3
        return DecisionRow(
            applicationID: i % 11 == 5 ? "app-\(i)-é✓" : "app-\(i)",
            decidedAt: time ?? start.adding(microseconds: Int64(i) * 1_000_123),
            variant: ["explore", "exploit", "compliance"][i % 3], approved: sparse ? nil : i % 2 == 0,
            reason: sparse ? nil : "MODEL_QUALIFIED", propensity: sparse ? nil : 0.01 * Double(i % 100),
            score: Double(i % 1000) / 999.0 + 1e-17, modelVersion: "prod-\(i % 3)", loanAmount: 1000.5 + Double(i),
            features: ApplicantFeatures(
                age: sparse ? nil : 18 + i % 60, annualIncome: 25_000.25 + Double(i) * 13.7,
                debtToIncome: 0.1 + Double(i % 50) / 100, creditScore: 300 + i % 550,
                creditHistoryMonths: i % 240, recentBankruptcy: sparse ? nil : i % 13 == 0))
    }

    static func decisions(_ range: Range<Int>) -> [DecisionRow] { range.map { decision($0) } }

    static func outcome(for decision: DecisionRow, _ i: Int) -> OutcomeRow {
        OutcomeRow(
            applicationID: decision.applicationID, observedAt: decision.decidedAt.adding(microseconds: 86_400_000_000),
            defaulted: i % 4 == 0, lossAmount: i % 4 == 0 ? 250.75 : 0)
    }
}

extension Store {
    /// Every decision the store holds, keyed by application id.
    func allDecisions(_ query: RowQuery = .all) throws -> [String: DecisionRow] {
        var rows: [String: DecisionRow] = [:]
        try streamDecisions(query) { rows[$0.applicationID] = $0 }
        return rows
    }
}
