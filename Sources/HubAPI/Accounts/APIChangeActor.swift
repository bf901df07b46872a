import HubMessaging
import HubStore
import Instrumentation

extension ChangeActor {
    /// `id` changing something through the API, in the request's trace: the audit event the
    /// change writes carries the request's `traceparent`, so a trace shows who changed what.
    static func api(_ id: String) -> ChangeActor {
        ChangeActor(id: id, source: "api", traceParent: InstrumentationContext.current?.traceParent?.description)
    }
}
