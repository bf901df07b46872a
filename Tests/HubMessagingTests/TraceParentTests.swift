import HubMessaging
import Kafka
import Testing
import Tracing

@Suite("W3C trace context")
struct TraceParentTests {
    static let example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("a valid traceparent is read as it is written")
    func reads() throws {
        let trace = try #require(TraceParent(Self.example))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.sampled)
        #expect(trace.description == Self.example)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled == false)
    }

    @Test("what the recommendation says a receiver refuses is refused", arguments: [
        "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // too short
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // another version
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // an all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // an all-zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",  // a wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // not hex
    ])
    func refuses(text: String) {
        #expect(TraceParent(text) == nil, "\(text)")
    }

    @Test("a child keeps the trace id and the flags and has a new span id; roots are valid and distinct")
    func children() throws {
        let parent = try #require(TraceParent(Self.example))
        let children = (0..<100).map { _ in parent.child() }
        #expect(children.allSatisfy { $0.traceID == parent.traceID && $0.sampled == parent.sampled && $0.spanID != parent.spanID })
        #expect(Set(children.map(\.spanID)).count == 100)
        let roots = (0..<100).map { _ in TraceParent.root() }
        #expect(roots.allSatisfy { TraceParent($0.description) == $0 }, "a root is a valid traceparent")
        #expect(Set(roots.map(\.traceID)).count == 100)
    }

    @Test("a message's span continues its traceparent header, or starts a trace when it has none or a bad one; a continuation only continues")
    func messageSpans() throws {
        let parent = try #require(TraceParent(Self.example))
        let continued = MessageTrace.span(for: [KafkaHeader(name: "event.id", string: "e1"), MessageTrace.header(parent)])
        #expect(continued.traceID == parent.traceID && continued.spanID != parent.spanID)
        let started = MessageTrace.span(for: [KafkaHeader(name: MessageHeader.traceParent, string: "garbage")])
        #expect(started.traceID != parent.traceID)
        #expect(MessageTrace.parent(in: []) == nil)
        #expect(MessageTrace.continuation(of: [MessageTrace.header(parent)])?.traceID == parent.traceID)
        #expect(MessageTrace.continuation(of: []) == nil, "an adapter starts no trace for a raw input that carries none")
    }

    @Test("the tracer extracts a traceparent, starts a child span of it, and injects the span's context into Kafka headers")
    func tracerPropagates() throws {
        let tracer = HubTracer()
        var context = InstrumentationContext.topLevel
        tracer.extract([KafkaHeader(name: "traceparent", string: Self.example)], into: &context, using: KafkaHeaderPropagation())
        #expect(context.traceParent?.description == Self.example)
        let span = tracer.startSpan("publish", context: context, ofKind: .producer, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
        var headers = [KafkaHeader(name: "traceparent", string: "stale")]
        tracer.inject(span.context, into: &headers, using: KafkaHeaderPropagation())
        #expect(headers.count == 1, "an old traceparent is replaced, not repeated")
        let injected = try #require(MessageTrace.parent(in: headers))
        #expect(injected.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && injected.spanID != "00f067aa0ba902b7")
        let root = tracer.startSpan("root", context: .topLevel, ofKind: .server, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
        #expect(root.context.traceParent != nil, "with nothing to continue, a span starts a trace")
    }
}
