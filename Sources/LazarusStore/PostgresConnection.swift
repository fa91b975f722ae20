import CLibPQ
import Foundation

/// The one file that speaks to libpq: a connection and the results it returns.
///
/// `PostgresConnection` owns its `PGconn` and calls `PQfinish` exactly once, in `deinit`;
/// `PostgresResult` does the same with `PQclear`. Buffers from `PQgetCopyData` are freed right after use.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// The URI with its password replaced, for messages.
    let redactedURI: String
    private let secrets: [String]

    /// Connects. A `connect_timeout` of 10 s applies unless the URI sets its own.
    init(uri: String) throws {
        redactedURI = StoreURL.redact(uri)
        secrets = Self.passwords(in: uri)
        // With expand_dbname, the URI's own parameters override the defaults listed before it.
        let keywords = ["connect_timeout", "application_name", "client_encoding", "dbname"]
        let values = ["10", "lazarus", "UTF8", uri]
        let connection = withCStringArray(keywords) { k in
            withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let connection else {
            throw StoreError(.connectionFailed, "cannot connect to PostgreSQL at \(redactedURI): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.firstLine(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw StoreError(
                .connectionFailed,
                Self.scrub("cannot connect to PostgreSQL at \(redactedURI): \(reason)", secrets: secrets))
        }
        // Notices (CREATE … IF NOT EXISTS, DROP … CASCADE) are chatter, not errors: keep them off stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs one statement with text parameters (`$1`, `$2`, …) and returns its result.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let raw: OpaquePointer?
        if parameters.isEmpty {
            raw = PQexec(handle, sql)
        } else {
            raw = withOptionalCStringArray(parameters) { values in
                PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
        }
        let result = try wrap(raw)
        let status = PQresultStatus(raw)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw error(from: raw) }
        return result
    }

    /// Runs `COPY … FROM STDIN`, sending the chunks `produce` appends until it returns `false`.
    ///
    /// If `produce` throws, the COPY is aborted (nothing is written) and its error rethrown.
    func copyIn(_ sql: String, produce: (inout [UInt8]) throws -> Bool) throws {
        let start = PQexec(handle, sql)
        let started = try wrap(start)
        guard PQresultStatus(start) == PGRES_COPY_IN else { throw error(from: start) }
        _ = started
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20)
        var more = true
        while more {
            chunk.removeAll(keepingCapacity: true)
            do {
                more = try produce(&chunk)
            } catch {
                PQputCopyEnd(handle, "aborted by the client")
                try? finishCommand()
                throw error
            }
            let sent = chunk.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            guard sent == 1 else { throw connectionError() }
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError() }
        try finishCommand()
    }

    /// Runs `COPY … TO STDOUT`, passing each CopyData message (one row, plus the header or trailer) to `consume`.
    ///
    /// If `consume` throws, the query is cancelled, the connection drained for reuse, and the error rethrown.
    func copyOut(_ sql: String, consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let start = PQexec(handle, sql)
        let started = try wrap(start)
        guard PQresultStatus(start) == PGRES_COPY_OUT else { throw error(from: start) }
        _ = started
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length == -1 { break }
            guard length >= 0, let buffer else { throw connectionError() }
            do {
                defer { PQfreemem(buffer) }
                try consume(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            } catch {
                cancelAndDrain()
                throw error
            }
        }
        try finishCommand()
    }

    /// Collects the results that follow a COPY, throwing the first error.
    private func finishCommand() throws {
        var firstError: StoreError?
        while let raw = PQgetResult(handle) {
            let status = PQresultStatus(raw)
            if firstError == nil, status != PGRES_COMMAND_OK { firstError = error(from: raw) }
            PQclear(raw)
        }
        if let firstError { throw firstError }
    }

    private func cancelAndDrain() {
        if let cancel = PQgetCancel(handle) {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
            PQfreeCancel(cancel)
        }
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            if length < 0 { break }
        }
        try? finishCommand()
    }

    /// Takes ownership of a result so that it is cleared exactly once.
    private func wrap(_ raw: OpaquePointer?) throws -> PostgresResult {
        guard let raw else { throw connectionError() }
        return PostgresResult(raw)
    }

    private func connectionError() -> StoreError {
        let reason = Self.firstLine(String(cString: PQerrorMessage(handle)))
        return StoreError(
            .connectionFailed, Self.scrub("PostgreSQL at \(redactedURI): \(reason)", secrets: secrets))
    }

    /// Builds a store error from a failed result, using only SQLSTATE and the primary message:
    /// DETAIL and CONTEXT quote row values, which must not reach logs.
    private func error(from raw: OpaquePointer?) -> StoreError {
        guard let raw else { return connectionError() }
        let sqlState = PQresultErrorField(raw, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let primary = PQresultErrorField(raw, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        if PQstatus(handle) != CONNECTION_OK || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") {
            return connectionError()
        }
        let reason = primary ?? Self.firstLine(String(cString: PQresultErrorMessage(raw)))
        let message = Self.scrub("PostgreSQL: \(reason)", secrets: secrets)
        switch sqlState {
        case "23505": return StoreError(.duplicateKey, message)
        case "42P01", "42703": return StoreError(.schemaMismatch, message)
        case "22003", "22021", "22P02", "22P03", "22007", "22008": return StoreError(.invalidValue, message)
        default: return StoreError(.databaseError, message)
        }
    }

    static func firstLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown error"
    }

    static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// Passwords a URI carries, in the authority or as a `password=` parameter. One or two characters
    /// long are left out: scrubbing them would garble every message, and libpq's messages do not echo
    /// passwords anyway; this is a second line of defence behind never printing the URI unredacted.
    static func passwords(in uri: String) -> [String] {
        StoreURL.secrets(in: uri).filter { $0.count >= 3 }
    }
}

/// A `PGresult`, cleared exactly once when this object goes away.
final class PostgresResult {
    private let handle: OpaquePointer

    fileprivate init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    var rowCount: Int { Int(PQntuples(handle)) }

    func string(_ row: Int, _ column: Int) -> String? {
        guard PQgetisnull(handle, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings + [nil]) { body($0) }
}

private func withOptionalCStringArray<R>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
