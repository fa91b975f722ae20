import Foundation
import LazarusStore

/// A schema of its own in the test PostgreSQL server, holding a small simulated experiment, dropped when
/// released: tests that change grants, locks or connections do so without touching each other.
public final class SimulatedSchema {
    /// The schema's name, also usable as an `application_name`.
    public let name: String
    /// A connection as the server's superuser, outside the schema.
    public let admin: any Store
    /// The URL of the tables' owner, with the schema as its search path.
    public let owner: String

    /// Creates the schema and simulates `applications` over `days` into it.
    /// - Throws: when there is no test server, or the simulator fails.
    public init(prefix: String, applications: Int = 3_000, days: Int = 6) throws {
        guard let base = Backend.postgresURL else { throw TestSupportError("no LAZARUS_TEST_POSTGRES_URL") }
        name = prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        admin = try openStore(base)
        owner = base + "?options=-csearch_path%3D\(name)"
        try ScratchStore.raw(admin, "CREATE SCHEMA \(name)")
        let sim = try Tool(name: "lazarus-sim").run([
            "--store", owner, "--applications", String(applications), "--days", String(days),
        ])
        guard sim.status == 0 else { throw TestSupportError("lazarus-sim failed: \(sim.stderr)") }
    }

    deinit { _ = try? ScratchStore.raw(admin, "DROP SCHEMA \(name) CASCADE") }
}
