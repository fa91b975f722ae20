import HTTPTypes
import Hummingbird

/// Adds the web config's `http_server_config.headers` to every response: errors, 404s and 401s included.
public struct ResponseHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let fields: [HTTPField]

    /// Creates the middleware.
    /// - Parameter headers: header values by name, as ``WebConfig/headers`` holds them (names already checked).
    public init(headers: [String: String]) {
        fields = headers.sorted { $0.key < $1.key }.compactMap { name, value in
            HTTPField.Name(name).map { HTTPField(name: $0, value: value) }
        }
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
        for field in fields { response.headers[field.name] = field.value }
        return response
    }
}
