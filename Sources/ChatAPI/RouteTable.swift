import Hummingbird

/// Every path and its methods (HEAD is answered for every GET), from `APIRoute.all`.
enum RouteTable {
    static let routes: [(path: String, methods: [HTTPRequest.Method])] = {
        var routes: [(path: String, methods: [HTTPRequest.Method])] = []
        for route in APIRoute.all {
            if let i = routes.firstIndex(where: { $0.path == route.path }) {
                routes[i].methods.append(route.method)
            } else {
                routes.append((route.path, [route.method]))
            }
        }
        return routes
    }()

    /// The methods allowed on `path` (`:name` matches one segment), or nil for an unknown path.
    static func allowedMethods(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        for (pattern, methods) in routes {
            let parts = pattern.split(separator: "/")
            guard parts.count == segments.count,
                  zip(parts, segments).allSatisfy({ $0.hasPrefix(":") || $0 == $1 }) else { continue }
            return methods.contains(.get) ? methods + [.head] : methods
        }
        return nil
    }

    /// The router's 404 for a known path with another method becomes 405 with `Allow`.
    static func methodNotAllowed(for request: Request) -> APIError? {
        guard let allowed = allowedMethods(for: request.uri.path) else { return nil }
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(.methodNotAllowed, "method_not_allowed",
                        "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allow)",
                        headers: [.allow: allow])
    }
}
