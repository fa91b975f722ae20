import HTTPTypes
import Hummingbird

/// Adds the web config's `http_server_config.headers` to every response: errors, 404s and 401s included.
public struct ResponseHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let live: LiveWebConfig

    /// Creates the middleware, which asks `live` for the headers at every response (a SIGHUP can change them).
    init(live: LiveWebConfig) {
        self.live = live
    }

    /// Answers the request, then sets the headers on the response.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in live.snapshot.headers { response.headers[field.name] = field.value }
        return response
    }
}
