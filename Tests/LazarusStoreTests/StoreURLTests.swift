import LazarusSimulation
import LazarusStore
import LazarusTestSupport
import Testing

@Suite("Store URLs")
struct StoreURLTests {
    @Test(
        "parses the schemes of the design",
        arguments: [
            ("sqlite:output/lazarus.sqlite", StoreURL.sqlite(path: "output/lazarus.sqlite")),
            ("sqlite:/tmp/x.db", .sqlite(path: "/tmp/x.db")),
            ("sqlite:///tmp/x.db", .sqlite(path: "/tmp/x.db")),
            ("postgres://u@h/db", .postgres(uri: "postgres://u@h/db")),
            ("postgresql://u:p@h:5/db?sslmode=disable", .postgres(uri: "postgresql://u:p@h:5/db?sslmode=disable")),
        ])
    func parses(text: String, expected: StoreURL) throws {
        #expect(try StoreURL(parsing: text) == expected)
    }

    @Test(
        "rejects unknown schemes with a clear, redacted message",
        arguments: ["mysql://root:s3cret@db/x", "output/lazarus.sqlite", "sqlite:", "http://x", "SQLITE:x"])
    func rejects(text: String) {
        let error = #expect(throws: StoreError.self) { try StoreURL(parsing: text) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test(
        "redacts passwords in the authority and in parameters",
        arguments: [
            ("postgres://bob:hunter2@db:5432/x", "postgres://bob:***@db:5432/x"),
            (
                "postgresql://bob@db/x?password=hunter2&sslmode=require",
                "postgresql://bob@db/x?password=***&sslmode=require"
            ),
            ("postgres://bob:p%40ss@db/x", "postgres://bob:***@db/x"),
            ("postgres://db/x", "postgres://db/x"),
            ("host=db password=hunter2 user=bob", "host=db password=*** user=bob"),
            // libpq ends the user info at the '@' before the first '/', whatever comes before it.
            ("postgres://bob:pa#ss@db/x", "postgres://bob:***@db/x"),
            ("postgres://bob:pa?ss@db:5432/x?sslmode=require", "postgres://bob:***@db:5432/x?sslmode=require"),
            ("postgres://bob:a@b@db/x", "postgres://bob:***@db/x"),
            ("postgres://bob:hunter2@db?password=other", "postgres://bob:***@db?password=***"),
        ])
    func redacts(uri: String, expected: String) {
        #expect(StoreURL.redact(uri) == expected)
    }

    @Test("the secrets to scrub from messages are the passwords, as written and percent-decoded")
    func secrets() {
        #expect(
            StoreURL.secrets(in: "postgres://bob:p%40ss#1@db/x?password=two") == [
                "p%40ss#1", "p@ss#1", "p%40ss", "1", "two",
            ])
        #expect(StoreURL.secrets(in: "postgres://bob@db/x").isEmpty)
        #expect(StoreURL.secrets(in: "postgres://u:ab/cd@h/x") == ["ab/cd", "ab", "cd"])
    }

    @Test(
        "a user name or password with an unescaped '/' or '@' is refused, and never shown",
        arguments: [
            "postgresql://u:Sec/retPass77@127.0.0.1:5432/db", "postgres://u:Sec@ret@h/db", "postgres://a/b@h/db",
        ])
    func refusesUnescapedDelimiters(uri: String) {
        let error = #expect(throws: StoreError.self) { try StoreURL(parsing: uri) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains("%2F") == true)
        for piece in ["Sec", "retPass77", "ret@h"] { #expect(error?.message.contains(piece) == false) }
    }

    /// Passwords drawn from every character a user might type, each written into a URI as is.
    @Test("no generated password, however the URI is malformed, survives redaction", arguments: 0..<200)
    func generatedPasswords(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let alphabet = Array("abcXYZ0189/@:?#&=%+ !$'()*,;[]~")
        let password = String(
            (0..<(4 + Int(generator.next() % 12))).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        )
        for uri in [
            "postgresql://user:\(password)@127.0.0.1:5432/db", "postgres://user:\(password)@db?sslmode=disable",
        ] {
            let shown = StoreURL.redact(uri)
            #expect(!shown.contains(password), "\(shown)")
            do {
                _ = try StoreURL(parsing: uri)
            } catch let error as StoreError {
                #expect(!error.message.contains(password), "\(error.message)")
            }
        }
    }
}
