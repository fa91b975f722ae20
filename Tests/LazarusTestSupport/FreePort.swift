import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that nothing is bound to, below the kernel's ephemeral range: a port in that
/// range can be taken at any moment by an outgoing connection (a scrape, a libpq session), so a server
/// started on it later would fail with "Address already in use". The same rule as `lazarus_free_port`
/// in `scripts/lib.sh`.
public func freePort() throws -> Int {
    let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let low = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    let top = low > 12_000 ? low : 32_768
    for _ in 0..<200 {
        let port = Int.random(in: 10_000..<top)
        if canBind(port) { return port }
    }
    throw TestSupportError("no free port on 127.0.0.1 below \(top)")
}

/// Whether a listening socket could be bound to `port` on 127.0.0.1 right now.
private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return bound == 0
}
