/// What this build is: the version, the git revision it was built from and the compiler that built it, for
/// `--version` and `lazarus_build_info`.
public enum BuildInfo {
    /// The release this source tree is (semantic versioning).
    public static let version = "0.5.0"
    /// The git commit, 12 hex digits, with `-dirty` when the tree had uncommitted changes; `unknown` outside git.
    /// Recorded when SwiftPM loaded the package (see `Plugins/BuildInfoPlugin`): exact on a fresh clone.
    public static let revision = generatedRevision
    /// The Swift compiler's version, e.g. `6.3.1`.
    public static let swiftVersion = generatedSwiftVersion

    /// `NAME VERSION (revision REVISION, Swift SWIFT)`: what every executable's `--version` prints.
    /// - Parameter name: the executable's name.
    public static func versionLine(_ name: String) -> String {
        "\(name) \(version) (revision \(revision), Swift \(swiftVersion))"
    }
}
