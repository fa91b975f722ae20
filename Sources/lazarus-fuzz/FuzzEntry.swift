#if canImport(Glibc)
import Glibc
#endif

/// The fuzz step: runs the target named by `LAZARUS_FUZZ_TARGET` on one input, and turns a broken property
/// into a crash, which libFuzzer reports with the input that caused it.
func lazarusFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let name = getenv("LAZARUS_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set LAZARUS_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let broken = target.check(bytes) { fatalError(broken) }
    return 0
}

#if LAZARUS_FUZZ
import CLibFuzzer

/// With `LAZARUS_FUZZ=1` (scripts/fuzz) the program is libFuzzer's driver over ``lazarusFuzzTestOneInput``;
/// libFuzzer owns the command line.
@main
enum LazarusFuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { lazarusFuzzTestOneInput($0, $1) })
    }
}
#endif
