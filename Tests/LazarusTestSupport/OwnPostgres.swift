import Foundation

/// A PostgreSQL cluster of a test's own, made and driven by `scripts/lib.sh`, so that the test can stop and
/// start its server without disturbing the shared one other suites use. Deleted when released.
public final class OwnPostgres {
    static let library = Repository.path("scripts/lib.sh").path
    public static let isInstalled = FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/pg_ctl")

    /// The cluster's directory (data and socket).
    public let directory: String
    public let port: String
    /// A libpq URI for the cluster's superuser.
    public let url: String

    public init() throws {
        let made = try Self.lib(
            "{ lazarus_start_postgres >&2 || { lazarus_stop_postgres; exit 1; }; } && echo \"$LAZARUS_PG_DIR\" && echo \"$LAZARUS_TEST_POSTGRES_URL\""
        )
        let lines = made.split(separator: "\n").map(String.init)
        guard lines.count == 2, let colon = lines[1].lastIndex(of: ":"), let slash = lines[1].lastIndex(of: "/") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        directory = lines[0]
        url = lines[1]
        port = String(lines[1][lines[1].index(after: colon)..<slash])
    }

    deinit { _ = try? Self.lib("LAZARUS_PG_DIR='\(directory)' lazarus_stop_postgres") }

    /// Stops the server as an administrator's restart does: sessions are cut, the data stays.
    public func stopServer() throws { _ = try Self.lib("lazarus_pg_server_stop '\(directory)'") }

    /// Starts the server again on the same port.
    public func startServer() throws { _ = try Self.lib("lazarus_pg_server_start '\(directory)' \(port)") }

    /// Runs `script` after sourcing `scripts/lib.sh`; returns its standard output, throws when it fails.
    ///
    /// Through `system(3)`, not `Process`: `pg_ctl start` leaves a daemon behind, and Foundation's child
    /// monitor then missed the exit of the shell (a zombie, and `waitUntilExit` hung). `system` waits for
    /// its own child; the exit status goes through a file in case anyone else reaps it first.
    @discardableResult
    private static func lib(_ script: String) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ownpg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (out, err, rc) = ("\(scratch.path)/out", "\(scratch.path)/err", "\(scratch.path)/rc")
        let body = "source '\(library)' && \(script)".replacingOccurrences(of: "'", with: "'\\''")
        _ = system("bash -c '\(body)' >'\(out)' 2>'\(err)' </dev/null; echo $? >'\(rc)'")
        let status = (try? String(contentsOfFile: rc, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == "0" else {
            let message = (try? String(contentsOfFile: err, encoding: .utf8)) ?? "no output"
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "lib.sh failed: \(message)"])
        }
        return try String(contentsOfFile: out, encoding: .utf8)
    }
}
