import ArgumentParser
import LazarusStore

/// The `--store` option every executable shares, with `LAZARUS_STORE` as its fallback.
public struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Store URL: sqlite:PATH or postgres://… (default: $LAZARUS_STORE, else sqlite:output/lazarus.sqlite in the Lazarus home).",
            valueName: "url"))
    public var store: String?

    public init() {}

    /// The URL to use: the flag, else the environment, else the embedded default, in ``LazarusHome``.
    /// - Parameter environment: the process environment.
    /// - Returns: the parsed URL.
    /// - Throws: ``StoreError`` with code `invalidURL`.
    public func url(_ environment: Environment = .process) throws -> StoreURL {
        if let given = store ?? environment["LAZARUS_STORE"] { return try StoreURL(parsing: given) }
        guard case .sqlite(let path) = StoreURL.embeddedDefault else { return StoreURL.embeddedDefault }
        return .sqlite(path: LazarusHome.path(path, environment))
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
