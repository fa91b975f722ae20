#if canImport(Glibc)
import Glibc
#endif

/// A file opened for writing by descriptor, which remembers the first failed write: Cairo's stream
/// callback can only say "failed", so the reason (a full disk, a file size limit) is kept here.
///
/// Owns one file descriptor and closes it exactly once, in ``close()`` or else in `deinit`.
final class FileSink {
    private var descriptor: Int32
    /// Why a write failed, `nil` while every byte went out.
    private(set) var failure: String?

    /// Creates or truncates the file at `path`.
    /// - Throws: ``RenderError`` when it cannot be opened.
    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RenderError(.cannotWrite, "cannot create PDF '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { _ = Glibc.close(descriptor) } }

    /// Writes all of `count` bytes, retrying short writes; after a failure writes nothing more.
    func write(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard failure == nil, descriptor >= 0 else { return false }
        var done = 0
        while done < count, let data {
            let written = Glibc.write(descriptor, data + done, count - done)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                failure = written < 0 ? String(cString: strerror(errno)) : "the disk accepted no more bytes"
                return false
            }
            done += written
        }
        return true
    }

    /// Flushes the file to disk and closes it.
    /// - Returns: why that failed, `nil` when it did not.
    func close() -> String? {
        guard descriptor >= 0 else { return failure }
        let synced = fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        let closed = Glibc.close(descriptor) == 0 ? nil : String(cString: strerror(errno))
        descriptor = -1
        return synced ?? closed
    }
}
