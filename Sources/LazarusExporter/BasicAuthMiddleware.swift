import HTTPTypes
import Hummingbird

/// Basic auth in front of every route, as exporter-toolkit does it: `401 Unauthorized` with
/// `WWW-Authenticate: Basic realm="lazarus-exporter"` when the credentials are missing or wrong.
///
/// Every path needs the credentials, `/healthz` and `/readyz` included, and unknown paths answer 401 rather than 404,
/// as in exporter-toolkit: whatever probes the exporter can send them (a Kubernetes `httpGet` probe takes
/// `httpHeaders`), and an open path would still tell an anonymous caller that the exporter is there and how it is.
/// Add it to the router before the routes, so that it covers them all.
public struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The realm named in the challenge.
    public static var realm: String { "lazarus-exporter" }

    private let live: LiveWebConfig

    /// Creates the middleware, which asks `live` for the users at every request (a SIGHUP can change them);
    /// with none configured it lets every request through.
    init(live: LiveWebConfig) {
        self.live = live
    }

    /// Passes the request on if its credentials are right, else answers 401.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let verifier = live.snapshot.verifier else { return try await next(request, context) }
        guard let credentials = BasicAuthVerifier.credentials(request.headers[.authorization]),
            await verifier.verify(user: credentials.user, password: credentials.password)
        else {
            return Response(
                status: .unauthorized,
                headers: [
                    .wwwAuthenticate: "Basic realm=\"\(Self.realm)\"", .contentType: "text/plain; charset=utf-8",
                ],
                body: .init(byteBuffer: ByteBuffer(string: "Unauthorized\n")))
        }
        return try await next(request, context)
    }
}
