import HubMessaging
import Hummingbird
import HTTPTypes
import Tracing

/// Starts each request's span, continuing the caller's W3C trace (`traceparent`) or starting one:
/// the commands the request publishes carry it on to the core, the adapters and the ERP.
struct RequestTraceMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer = HubTracer()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var traceContext = InstrumentationContext.current ?? .topLevel
        tracer.extract(request.headers, into: &traceContext, using: HTTPFieldsPropagation())
        return try await tracer.withSpan("\(request.method) \(request.uri.path)", context: traceContext, ofKind: .server) { _ in
            try await next(request, context)
        }
    }
}

/// Reads trace headers from an HTTP request.
struct HTTPFieldsPropagation: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}
