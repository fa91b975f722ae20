#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point, built with `swift build --sanitize=fuzzer -Xswiftc -DLAZARUS_FUZZ`: the target is
/// named by `LAZARUS_FUZZ_TARGET` (libFuzzer owns the command line), and a broken property is a crash,
/// which libFuzzer reports with the input that caused it.
@_cdecl("LLVMFuzzerTestOneInput")
public func lazarusFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = getenv("LAZARUS_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set LAZARUS_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    if let broken = target.check(Array(UnsafeBufferPointer(start: data, count: size))) { fatalError(broken) }
    return 0
}
