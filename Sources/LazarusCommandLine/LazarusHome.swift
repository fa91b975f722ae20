import Foundation

/// Where the defaults that name files resolve, so that they work from any working directory (a systemd
/// unit starts in `/`): the embedded store `output/lazarus.sqlite`, the report's `output/` directory and its
/// template `templates/shadow-report.mustache`.
///
/// The rule: `$LAZARUS_HOME` when set; else the nearest directory above the running executable that holds
/// `templates/shadow-report.mustache` (in a checkout, the repository root above `.build/release/`; in an
/// install, the prefix above `bin/`, or its `share/lazarus`); else the working directory, as before.
/// Paths given explicitly (flags, `LAZARUS_STORE`) are used as given.
public enum LazarusHome {
    /// The file whose presence marks a Lazarus home.
    public static let marker = "templates/shadow-report.mustache"

    /// The home directory, `nil` when none is found (relative defaults then name the working directory).
    /// - Parameters:
    ///   - environment: the process environment (`LAZARUS_HOME`).
    ///   - executable: the running program.
    public static func directory(_ environment: Environment, executable: URL? = Bundle.main.executableURL) -> String? {
        if let home = environment["LAZARUS_HOME"] { return home }
        guard var directory = executable?.resolvingSymlinksInPath().deletingLastPathComponent() else { return nil }
        let files = FileManager.default
        while true {
            for candidate in [directory, directory.appendingPathComponent("share/lazarus")]
            where files.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
                return candidate.path
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    /// `relative` inside the home directory, or as it is when there is none.
    /// - Parameters:
    ///   - relative: a default path relative to the home.
    ///   - environment: the process environment.
    public static func path(_ relative: String, _ environment: Environment) -> String {
        directory(environment).map { URL(fileURLWithPath: $0).appendingPathComponent(relative).path } ?? relative
    }
}
