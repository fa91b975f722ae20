import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP re-reads `--web.config.file`, as exporter-toolkit re-reads its certificates: the new users, headers,
/// certificate and key are in force for the next request, on the same listener. A file that does not parse,
/// or that only a restart can apply, is logged and the config in force stays. Without a web config file
/// SIGHUP is logged and ignored (never the default action, which ends the process).
struct ReloadService: Service {
    let path: String?
    let live: LiveWebConfig
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                reload()
            }
        }
    }

    func reload() {
        guard let path else {
            logger.info("SIGHUP: no web config file to reload")
            return
        }
        do {
            try live.replace(with: WebConfig(contentsOfFile: path))
            let config = live.snapshot.config
            logger.info(
                "web config reloaded",
                metadata: ["tls": "\(config.tls != nil)", "basic_auth_users": "\(config.users.count)"])
        } catch {
            let message = (error as? ExporterError)?.message ?? "\(error)"
            logger.error("web config reload failed; the config in force stays", metadata: ["error": "\(message)"])
        }
    }
}
