import ArgumentParser
import Foundation
import LazarusCore
import LazarusStore

@main
struct LazarusStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-store",
        abstract: "Create, migrate and summarise a Lazarus store (SQLite file or PostgreSQL database).",
        subcommands: [Migrate.self, Summary.self],
        defaultSubcommand: Summary.self)
}

/// The `--store` option shared by every subcommand, with `LAZARUS_STORE` as its fallback.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Store URL: sqlite:PATH or postgres://… (default: $LAZARUS_STORE, else sqlite:output/lazarus.sqlite)",
            valueName: "url"))
    var store: String?

    var resolvedURL: String {
        store ?? ProcessInfo.processInfo.environment["LAZARUS_STORE"] ?? StoreURL.embeddedDefault.description
    }

    /// Opens the store or exits with one clear line on stderr.
    func open() throws -> any Store {
        try reportingErrors { try openStore(resolvedURL) }
    }
}

/// Runs `body`; a ``StoreError`` becomes one line on stderr and exit status 1, with no stack trace.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("lazarus-store: error: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the Lazarus tables, or upgrade them to this build's schema version (idempotent).")

    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open()
        let result = try reportingErrors { try store.migrate() }
        let before = result.from.map { "v\($0)" } ?? "empty"
        print("\(store.url): schema \(before) -> v\(result.to)")
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the store if needed and print its tables, row counts and decision breakdown.")

    @OptionGroup var options: StoreOptions

    @Flag(help: "Only read: fail instead of creating or migrating the tables.")
    var readOnly = false

    func run() throws {
        let store = try options.open()
        let summary = try reportingErrors {
            if !readOnly { try store.migrate() }
            return try store.summary()
        }
        print(SummaryText.render(summary, url: store.url))
    }
}
