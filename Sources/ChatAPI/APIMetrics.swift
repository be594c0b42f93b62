import Foundation
import Hummingbird
import Logging
import Prometheus

/// Counters and histograms the API exports on `/metrics`.
struct APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
                                      .milliseconds(250), .seconds(1), .seconds(5)]

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "kchat", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by method, route and status")
    }

    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "kchat", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "HTTP request handling time")
    }

    static var published: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "kchat", subsystem: "api", metricName: "messages_published", unitName: "total",
            helpText: "Messages handed to the publisher by POST /v1/channels/{channel}/messages")
    }

    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests,
                             labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.buckets)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    func published(ok: Bool) {
        registry.makeCounter(descriptor: Self.published, labels: [("result", ok ? "ok" : "error")]).increment()
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}

/// Records `kchat_http_requests_total` and the duration histogram (route = the matched
/// route pattern, so the label set stays small).
struct APIMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                        status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
