import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

/// Bad input and faults: each gives one clear error and loses nothing already written.
@Suite("Store failures")
struct StoreFailureTests {
    @Test(
        "a table created by someone else without our columns is reported and left untouched",
        arguments: Backend.available)
    func foreignTableMissingColumns(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.raw("CREATE TABLE lazarus_outcomes (application_id text, observed_at text)")
        try scratch.raw("INSERT INTO lazarus_outcomes VALUES ('theirs-1', '2026-01-01')")
        let error = #expect(throws: StoreError.self) { try scratch.store.migrate() }
        #expect(error?.code == .schemaMismatch)
        #expect(error?.message.contains("lazarus_outcomes lacks defaulted, loss_amount, ingest_seq") == true)
        #expect(try scratch.count("lazarus_outcomes") == 1)
        // The whole migration rolled back: none of our other tables was left half-created.
        #expect(throws: StoreError.self) { try scratch.store.verifySchema() }
        #expect(try scratch.store.verifySchemaCode() == .notMigrated)
    }

    @Test(
        "a table created by someone else without our key is keyed by migrate, refused when it holds duplicates",
        arguments: Backend.available)
    func foreignTableWithoutKey(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        let dialect: SQLDialect = backend == .postgres ? .postgres : .sqlite
        let columns = Schema.outcomes.columns.map { "\($0.name) \(dialect.ddl($0))" }.joined(separator: ", ")
        try scratch.raw("CREATE TABLE lazarus_outcomes (\(columns))")
        let row = "'2026-01-01T00:00:00.000000Z', \(dialect.yes), 10"
        try scratch.raw(
            "INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount) "
                + "VALUES ('twice', \(row)), ('twice', \(row)), ('once', \(row))")
        // Duplicates would count twice: nothing is picked between them, and nothing changes.
        let error = #expect(throws: StoreError.self) { try scratch.store.migrate() }
        #expect(error?.code == .schemaMismatch)
        #expect(error?.message.contains("lazarus_outcomes holds 1 row(s) whose application_id") == true)
        #expect(try scratch.count("lazarus_outcomes") == 3)
        #expect(try scratch.store.verifySchemaCode() == .notMigrated)
        // Without them, migrate adds the key, and a second copy is refused from then on.
        try scratch.raw("DELETE FROM lazarus_outcomes WHERE application_id = 'twice'")
        try scratch.store.migrate()
        #expect(throws: (any Error).self) {
            try scratch.raw(
                "INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount) VALUES ('once', \(row))"
            )
        }
        #expect(try scratch.count("lazarus_outcomes") == 1)
        // A reader refuses a table whose key was dropped later, in one line that says what to run.
        try scratch.raw("DROP INDEX lazarus_outcomes_application_id_key")
        let refused = #expect(throws: StoreError.self) { try scratch.store.verifySchema() }
        #expect(
            refused?.message.contains("lazarus_outcomes has no primary key or unique index on application_id") == true)
        #expect(refused?.message.contains("\n") == false)
    }

    @Test("a store migrated by a newer Lazarus is refused", arguments: Backend.available)
    func schemaTooNew(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        try scratch.raw("INSERT INTO lazarus_schema_migrations VALUES (99, '2030-01-01', 'future')")
        #expect(try scratch.store.verifySchemaCode() == .schemaTooNew)
        let error = #expect(throws: StoreError.self) { try scratch.store.migrate() }
        #expect(error?.code == .schemaTooNew)
    }

    @Test("a database that is down gives a clear error without the password")
    func postgresDown() throws {
        // Port 1 is privileged and nothing listens on it here: the connection is refused at once.
        let error = #expect(throws: StoreError.self) { try openStore("postgresql://lazarus:Sup3rSecret@127.0.0.1:1/x") }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("Sup3rSecret") == false)
        #expect(error?.message.contains("postgresql://lazarus:***@127.0.0.1:1/x") == true)
        #expect(error?.message.contains("\n") == false)
    }

    @Test("a connection lost mid-session is reported as such", .enabled(if: Backend.postgresURL != nil))
    func postgresConnectionLost() throws {
        let scratch = try ScratchStore(.postgres)
        try scratch.store.migrate()
        let pid = try #require(try scratch.value("pg_backend_pid()").flatMap { Int($0) })
        let admin = try ScratchStore(.postgres)
        _ = try admin.value("pg_terminate_backend(\(pid))")
        let error = #expect(throws: StoreError.self) { try scratch.store.summary() }
        #expect(error?.code == .connectionFailed)
        try scratch.reopen()
        #expect(try scratch.store.verifySchema() == Schema.currentVersion)
    }

    @Test(
        "an SQLite path that cannot be created is a clear error",
        arguments: ["/nonexistent-lazarus-dir/x.sqlite", "/proc/lazarus.sqlite", "/etc/hostname/x.sqlite"])
    func sqliteCannotCreate(path: String) {
        let error = #expect(throws: StoreError.self) { try openStore("sqlite:\(path)") }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains(path) == true)
    }

    @Test("a file that is not a database is refused and not overwritten")
    func sqliteNotADatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-\(UUID().uuidString).txt")
            .path
        let content = Data(String(repeating: "quarterly numbers, do not delete\n", count: 200).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: StoreError.self) { try openStore("sqlite:\(path)").migrate() }
        #expect(error?.code == .connectionFailed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
    }

    @Test("a half-written SQLite file gives an error, not a crash or a wrong count")
    func sqliteTruncated() throws {
        let scratch = try ScratchStore(.sqlite)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<3000))
        try scratch.raw("PRAGMA wal_checkpoint(TRUNCATE)")
        guard case .sqlite(let path) = try StoreURL(parsing: scratch.url) else { return }
        let copy = path + ".half"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: copy))
        #expect(throws: StoreError.self) {
            let store = try openStore("sqlite:\(copy)")
            try store.verifySchema()
            _ = try store.summary()
            try store.streamDecisions(.all) { _ in }
        }
    }

    @Test("a wrongly typed SQLite value makes its row invalid, never 0, and does not stop the read")
    func sqliteTextInNumericColumn() throws {
        let scratch = try ScratchStore(.sqlite)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<4))
        try scratch.raw("UPDATE lazarus_decisions SET propensity = 'high' WHERE application_id = 'app-1'")
        try scratch.raw("UPDATE lazarus_decisions SET decided_at = 'tomorrow' WHERE application_id = 'app-0'")
        try scratch.raw("UPDATE lazarus_decisions SET age = 30.5, approved = 0.5 WHERE application_id = 'app-2'")
        var rows: [String: DecisionRow] = [:]
        try scratch.store.streamDecisions(.all) { rows[$0.applicationID] = $0 }
        #expect(rows.count == 4)
        #expect(rows["app-0"]?.decidedAt == .unreadable)
        #expect(rows["app-0"]?.defect == .badTimestamp)
        #expect(rows["app-1"]?.propensity?.isNaN == true)
        #expect(rows["app-1"]?.defect == .nonFinite)
        #expect(rows["app-2"]?.features.age == nil)
        #expect(rows["app-2"]?.approved == nil)
        #expect(rows["app-2"]?.defect == .nullField)
        #expect(rows["app-3"]?.decidedAt == Fixtures.decision(3).decidedAt)
    }

    @Test("a value out of range for PostgreSQL writes nothing", .enabled(if: Backend.postgresURL != nil))
    func postgresOutOfRange() throws {
        let scratch = try ScratchStore(.postgres)
        try scratch.store.migrate()
        var bad = Fixtures.decision(7)
        bad.features.creditScore = Int(Int32.max) + 1
        let batch = Fixtures.decisions(0..<5) + [bad]
        let error = #expect(throws: StoreError.self) { try scratch.store.insertDecisions(batch) }
        #expect(error?.code == .invalidValue)
        #expect(try scratch.count("lazarus_decisions") == 0)
        #expect(try scratch.store.insertDecisions(Fixtures.decisions(0..<5)) == 5)
    }
}

extension Store {
    /// The code `verifySchema` fails with, or `nil` when it passes.
    func verifySchemaCode() throws -> StoreErrorCode? {
        do {
            try verifySchema()
            return nil
        } catch let error as StoreError {
            return error.code
        }
    }
}
