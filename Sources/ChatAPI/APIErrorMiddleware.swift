import Hummingbird
import Logging

/// Turns every error into the API's JSON error body (unknown errors become a logged 500).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var apiError = APIError(converting: error)
            if let http = error as? HTTPError, http.status == .notFound,
               let notAllowed = RouteTable.methodNotAllowed(for: request) {
                apiError = notAllowed
            }
            if apiError.status == .internalServerError {
                logger.error("request failed", metadata: ["method": "\(request.method)",
                                                          "path": "\(request.uri.path)", "error": "\(error)"])
            }
            return try apiError.response(from: request, context: context)
        }
    }
}
