import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

@Suite("the statement timeout of readers")
struct StatementTimeoutTests {
    @Test(
        "PostgreSQL takes the limit; a limit from the URL's options wins; SQLite has none", arguments: Backend.available
    )
    func limit(backend: Backend) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        guard backend == .postgres, let base = Backend.postgresURL else {
            #expect(try scratch.store.limitStatements(toSeconds: 2) == nil)
            return
        }
        #expect(try scratch.store.limitStatements(toSeconds: 2) == 2)
        // Set again (a longer limit after a failure, then back): a limit of our own is ours to change.
        #expect(try scratch.store.limitStatements(toSeconds: 0.25) == 0.25)
        let timed = try openStore(base + "?options=-c%20statement_timeout%3D7000")
        #expect(try timed.limitStatements(toSeconds: 2) == 7)
        // And the limit really cuts a statement that runs longer: one line, no hang.
        let error = #expect(throws: StoreError.self) { try ScratchStore.raw(scratch.store, "SELECT pg_sleep(5)") }
        #expect(error?.message.contains("statement timeout") == true, "\(String(describing: error))")
    }
}
