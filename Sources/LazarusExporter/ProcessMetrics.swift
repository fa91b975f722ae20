import Foundation
import LazarusMetrics

#if canImport(Glibc)
import Glibc
#endif

/// The `process_*` families every Prometheus client exports, read from `/proc` at each scrape, as
/// client_golang's process collector reads them.
enum ProcessMetrics {
    /// The families; a value that cannot be read is left out rather than guessed.
    static func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let fields = statFields(stat), fields.count > 21, ticks > 0
        {
            // After the command: state is field 3; utime 14, stime 15, starttime 22, rss 24 (1-based, man 5 proc).
            let value = { (field: Int) in Double(fields[field - 3]) }
            if let user = value(14), let system = value(15) {
                families.append(
                    .init(
                        "process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.",
                        [.init((user + system) / ticks)]))
            }
            if let rss = value(24) {
                families.append(
                    .init(
                        "process_resident_memory_bytes", .gauge, "Resident memory size in bytes.", [.init(rss * page)]))
            }
            if let start = value(22), let boot = bootTime() {
                families.append(
                    .init(
                        "process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.",
                        [.init(boot + start / ticks)]))
            }
        }
        if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            // The directory listing holds one descriptor of its own while it is read.
            families.append(
                .init(
                    "process_open_fds", .gauge, "Number of open file descriptors.",
                    [.init(Double(max(0, open.count - 1)))]))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            families.append(
                .init(
                    "process_max_fds", .gauge, "Maximum number of open file descriptors.",
                    [.init(Double(limit.rlim_cur))]))
        }
        return families
    }

    /// The fields after `pid (comm)`: the command may hold spaces and parentheses, so split after the last `)`.
    static func statFields(_ stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    /// When the machine booted, in seconds since the epoch (`btime` in `/proc/stat`).
    static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return stat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }
}
