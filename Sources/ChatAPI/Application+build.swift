import ChatModel
import ChatStore
import Foundation
import Hummingbird
import Logging

/// The kchat REST API as a Hummingbird application (run it, or test it with
/// `app.test(.router)`). The routes are `APIRoute.all`.
public func buildApplication(_ config: APIConfiguration, store: any ChatStore,
                             publisher: any MessagePublisher) -> some ApplicationProtocol {
    Application(router: buildRouter(config, store: store, publisher: publisher),
                configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kchat"),
                logger: config.logger)
}

/// The router alone (to mount it elsewhere or to add routes before building an application).
public func buildRouter(_ config: APIConfiguration, store: any ChatStore,
                        publisher: any MessagePublisher) -> Router<APIRequestContext> {
    let handlers = APIHandlers(config: config, store: store, publisher: publisher)
    let router = Router(context: APIRequestContext.self, options: [.autoGenerateHeadEndpoints])
    // Order matters: middleware applies to routes added after it; metrics sees the final status.
    router.add(middleware: APIMetricsMiddleware(metrics: handlers.metrics))
    router.add(middleware: APIErrorMiddleware(logger: config.logger))
    handlers.addRoutes(to: router)
    return router
}
