import ArgumentParser
import LazarusBuildInfo
import LazarusCommandLine
import LazarusStore

@main
enum Main {
    static func main() { CommandRunner.main(LazarusStoreCommand.self) }
}

struct LazarusStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-store",
        abstract: "Create, migrate and summarise a Lazarus store (SQLite file or PostgreSQL database).",
        version: BuildInfo.versionLine("lazarus-store"),
        subcommands: [Migrate.self, Summary.self],
        defaultSubcommand: Summary.self)
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the Lazarus tables, or upgrade them to this build's schema version (idempotent).")

    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = try options.open(creating: true)
        let result = try store.migrate()
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
        let store = try options.open(creating: !readOnly)
        if !readOnly { try store.migrate() }
        print(SummaryText.render(try store.summary(), url: store.url))
    }
}
