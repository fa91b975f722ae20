import ArgumentParser
import LazarusStore

/// The `--store` option every executable shares, with `LAZARUS_STORE` as its fallback.
public struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Store URL: sqlite:PATH or postgres://… (default: $LAZARUS_STORE, else sqlite:output/lazarus.sqlite).",
            valueName: "url"))
    public var store: String?

    public init() {}

    /// The URL to use: the flag, else the environment, else the embedded default.
    /// - Parameter environment: the process environment.
    /// - Returns: the parsed URL.
    /// - Throws: ``StoreError`` with code `invalidURL`.
    public func url(_ environment: Environment = .process) throws -> StoreURL {
        try StoreURL(parsing: store ?? environment["LAZARUS_STORE"] ?? StoreURL.embeddedDefault.description)
    }

    /// Opens the store.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - creating: whether a missing SQLite file is created; readers pass `false`, so that a mistyped path
    ///     is an error rather than an empty store left behind.
    /// - Throws: ``StoreError``.
    public func open(_ environment: Environment = .process, creating: Bool = false) throws -> any Store {
        try openStore(url(environment), creating: creating)
    }
}
