public import Kafka
public import Tracing

/// The hub's tracer for swift-distributed-tracing: it propagates W3C trace context — extracts a
/// `traceparent` from what comes in (an HTTP request, a Kafka message), starts child spans of it,
/// and injects the current span's into what goes out — and records nothing itself. Exporting
/// spans (swift-otel) would replace it; propagation works without.
public struct HubTracer: Tracer {
    public typealias Span = HubSpan

    public init() {}

    public func startSpan<Instant: TracerInstant>(_ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
                                                  at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt) -> HubSpan {
        var context = context()
        context.traceParent = TraceParent.continuing(context.traceParent)
        return HubSpan(context: context, operationName: operationName)
    }

    public func forceFlush() {}

    public func extract<Carrier, Extract>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract: Extractor, Extract.Carrier == Carrier {
        if let value = extractor.extract(key: MessageHeader.traceParent, from: carrier), let parent = TraceParent(value) {
            context.traceParent = parent
        }
    }

    public func inject<Carrier, Inject>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject: Injector, Inject.Carrier == Carrier {
        if let trace = context.traceParent { injector.inject(trace.description, forKey: MessageHeader.traceParent, into: &carrier) }
    }
}

/// A span of ``HubTracer``: its context carries its ``TraceParent``; nothing of it is recorded.
public struct HubSpan: Tracing.Span {
    public let context: InstrumentationContext
    public var operationName: String {
        get { name }
        nonmutating set {}
    }
    private let name: String

    init(context: InstrumentationContext, operationName: String) {
        self.context = context
        name = operationName
    }

    public var isRecording: Bool { false }
    public var attributes: SpanAttributes {
        get { [:] }
        nonmutating set {}
    }
    public func setStatus(_ status: SpanStatus) {}
    public func addEvent(_ event: SpanEvent) {}
    public func addLink(_ link: SpanLink) {}
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {}
}

extension InstrumentationContext {
    /// The W3C trace context of the current span.
    public var traceParent: TraceParent? {
        get { self[TraceParentKey.self] }
        set { self[TraceParentKey.self] = newValue }
    }
}

private enum TraceParentKey: ServiceContextKey {
    typealias Value = TraceParent
}

/// Reads and writes Kafka headers for swift-distributed-tracing's `extract` and `inject`.
public struct KafkaHeaderPropagation: Extractor, Injector {
    public init() {}

    public func extract(key: String, from carrier: [KafkaHeader]) -> String? {
        carrier.value(named: key).map { String(decoding: $0, as: UTF8.self) }
    }

    public func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
        carrier.removeAll { $0.name == key }
        carrier.append(KafkaHeader(name: key, string: value))
    }
}
