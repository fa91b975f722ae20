import HTTPTypes
import Hummingbird

/// Answers any method but GET and HEAD on the exporter's routes with 405 and `Allow: GET, HEAD`, as
/// exporter-toolkit does; other paths go on to the router's 404.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The paths the exporter serves.
    let paths: Set<String>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head, paths.contains(request.uri.path) else {
            return try await next(request, context)
        }
        return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
    }
}
