/// The OpenAPI 3.1 description of the API, served at `GET /openapi.json`: the info and the
/// components are written here, the paths come from `APIRoute.all` (a test checks that it parses
/// and names every route).
public let openAPIDocument: String = openAPIInfo + openAPIPaths + "," + openAPIComponents + "}"

private let openAPIInfo = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "kchat REST API",
    "version": "1.0.0",
    "description": "History, users, channels and statistics of kchat. Messages posted here are published to Kafka and appear in history once moderated and stored. Errors are always {\"error\":{\"code\",\"message\"}}."
  },
  "servers": [{"url": "/"}],
"""#

/// `"paths": {...}` from `APIRoute.all`, one entry per path in the order of first appearance.
private let openAPIPaths: String = {
    var order: [String] = []
    var operations: [String: [String]] = [:]
    for route in APIRoute.all {
        if operations[route.openAPIPath] == nil { order.append(route.openAPIPath) }
        operations[route.openAPIPath, default: []].append("\"\(route.method.rawValue.lowercased())\": \(route.openAPI)")
    }
    let paths = order.map { path in
        "    \"\(path)\": {\n      " + (operations[path] ?? []).joined(separator: ",\n      ") + "\n    }"
    }
    return "  \"paths\": {\n" + paths.joined(separator: ",\n") + "\n  }\n"
}()
