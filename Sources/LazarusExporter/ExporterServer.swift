import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LazarusBuildInfo
import LazarusCore
import LazarusMetrics
import LazarusStore
import Logging
import ServiceLifecycle

/// The HTTP side of `lazarus-exporter`: `/metrics`, `/healthz`, `/readyz` and a landing page.
public struct ExporterServer: Sendable {
    public var store: StoreURL
    public var host: String
    public var port: Int
    public var refreshInterval: Double
    public var riskThreshold: Double
    public var lifetimeValue: Double
    /// W: model quality rests on the explore loans decided at least this many days before the newest decision.
    public var performanceWindowDays: Int
    /// TLS, basic auth and extra headers from `--web.config.file`; the default serves plain HTTP to anyone.
    public var webConfig: WebConfig
    /// The file `webConfig` was read from, re-read on SIGHUP; `nil` without one.
    public var webConfigPath: String?
    /// Where the exporter logs; its level is the command's to set.
    public var logger: Logger

    public init(
        store: StoreURL, host: String, port: Int, refreshInterval: Double, riskThreshold: Double, lifetimeValue: Double,
        performanceWindowDays: Int = Maturity.defaultWindowDays,
        webConfig: WebConfig = WebConfig(), webConfigPath: String? = nil,
        logger: Logger = Logger(label: "lazarus.exporter")
    ) {
        self.webConfigPath = webConfigPath
        self.logger = logger
        self.performanceWindowDays = performanceWindowDays
        self.store = store
        self.host = host
        self.port = port
        self.refreshInterval = refreshInterval
        self.riskThreshold = riskThreshold
        self.lifetimeValue = lifetimeValue
        self.webConfig = webConfig
    }

    /// The default statement timeout of a steady-state refresh: shorter than the refresh interval, so one hung
    /// query cannot hold the only refresh worker past the next refresh, and at least a second.
    static func statementTimeout(refreshInterval: Double) -> Double {
        max(1, refreshInterval * 0.8)
    }

    /// Runs the HTTP server and the background refresh as one service group until SIGTERM or SIGINT, then
    /// shuts both down gracefully: in-flight requests are answered and the refresh loop has ended on return.
    public func run() async throws {
        let worker = RefreshWorker(
            url: store, riskThreshold: riskThreshold, lifetimeValue: lifetimeValue,
            performanceWindowDays: performanceWindowDays,
            statementSeconds: Self.statementTimeout(refreshInterval: refreshInterval), logger: logger)
        let coordinator = ScrapeCoordinator(worker: worker)
        let router = Router()
        // Middleware covers only the routes added after it: these come first. Headers outermost, so 401s get them.
        // Always in place, even when empty now: a SIGHUP may bring users or headers.
        let live = LiveWebConfig(webConfig)
        router.add(middleware: ResponseHeadersMiddleware(live: live))
        router.add(middleware: MethodMiddleware(paths: ["/", "/metrics", "/healthz", "/readyz"]))
        router.add(middleware: BasicAuthMiddleware(live: live))
        Self.route(router, "metrics") { request, _ -> Response in
            // Prometheus says how long it will wait; answer within it, less a margin for the response.
            // Any client can send the header: a value that is not a sane number of seconds gets the default.
            let timeout =
                request.headers[Self.scrapeTimeout].flatMap { Double($0) }.flatMap {
                    $0.isFinite && $0 > 0 ? min($0, 3_600) : nil
                } ?? 10.5
            let deadline = Duration.milliseconds(Int(max(0.1, timeout - 0.5) * 1000))
            let (text, _) = await coordinator.scrape(deadline: deadline)
            let body = ByteBuffer(string: text + Exposition.render([Self.buildInfo] + ProcessMetrics.families()))
            // The 0.0.4 text format answers OpenMetrics requests too: Prometheus falls back to it.
            var headers: HTTPFields = [.contentType: Exposition.contentType, .vary: "Accept-Encoding"]
            var input = body
            guard Self.acceptsGzip(request.headers[.acceptEncoding]),
                let compressed = try? input.compress(with: .gzip())
            else { return Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: compressed))
        }
        Self.route(router, "healthz") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        Self.route(router, "readyz") { _, _ -> Response in
            let ready = worker.snapshot().ready
            // Say why: a cold start that cannot succeed (a missing grant, no tables) is not "in progress".
            let text = ready ? "ready" : worker.notReadyReason().map { "not ready: \($0)" } ?? "cold start in progress"
            return Response(
                status: ready ? .ok : .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
        }
        Self.route(router, "/") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.landingPage)))
        }
        var server = HTTPServerBuilder.http1()
        if let tls = live.listeningTLS() {
            server = try .tls(.http1(), tlsConfiguration: tls)
            logger.info("serving HTTPS", metadata: ["basic_auth_users": "\(webConfig.users.count)"])
        } else if !webConfig.users.isEmpty {
            logger.warning("basic auth without TLS: passwords cross the network in clear")
        }
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "lazarus-exporter"), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: RefreshService(coordinator: coordinator, interval: refreshInterval)),
                    .init(service: ReloadService(path: webConfigPath, live: live, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static let scrapeTimeout = HTTPField.Name("X-Prometheus-Scrape-Timeout-Seconds")!

    /// `lazarus_build_info`: 1, with what this build is in its labels, so a version drift across a fleet shows.
    static let buildInfo = MetricFamily(
        "lazarus_build_info", .gauge,
        "A metric with a constant '1' value labelled by the build's version, revision and Swift version.",
        [
            .init(
                [
                    ("version", BuildInfo.version), ("revision", BuildInfo.revision),
                    ("swift_version", BuildInfo.swiftVersion),
                ],
                1)
        ])

    /// Serves `path` on GET, and on HEAD with the same status and headers (its `Content-Length` the GET body's)
    /// and no body: load balancers and blackbox probes check with HEAD.
    static func route(
        _ router: Router<BasicRequestContext>, _ path: RouterPath,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        router.get(path, use: handler)
        router.head(path) { request, context -> Response in
            var response = try await handler(request, context)
            let length = response.body.contentLength
            response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
            return response
        }
    }

    /// Whether an `Accept-Encoding` value takes gzip: listed, and not with `q=0`.
    static func acceptsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { coding in
            let parts = coding.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return q > 0
        }
    }

    static let landingPage = """
        <!doctype html>
        <html><head><title>Lazarus exporter</title></head>
        <body><h1>Lazarus exporter</h1>
        <p>The cost of knowledge: exploration budget, losses, good loans found, model blindness.</p>
        <ul><li><a href="/metrics">/metrics</a></li><li><a href="/healthz">/healthz</a></li>
        <li><a href="/readyz">/readyz</a></li></ul></body></html>

        """
}
