public import Kafka

/// The trace a Kafka message belongs to, carried in its `traceparent` header (``MessageHeader``):
/// how the adapters and the core continue the trace of each message they consume in what they
/// produce from it, without a span object per message.
public enum MessageTrace {
    /// The trace context a message carries, if it carries a valid one.
    public static func parent(in headers: [KafkaHeader]) -> TraceParent? {
        headers.value(named: MessageHeader.traceParent).flatMap { TraceParent($0) }
    }

    /// The span of the work done on a consumed message: a child of the message's own, or the
    /// first span of a new trace when the message carries none (what the core does: every change
    /// it makes belongs to a trace).
    public static func span(for headers: [KafkaHeader]) -> TraceParent {
        TraceParent.continuing(parent(in: headers))
    }

    /// The span of the work done on a consumed message when the message is in a trace; `nil` when
    /// it carries none (what an adapter does with an outside system's raw input: a truck's fix
    /// starts no trace of its own, and costs the busiest path nothing).
    public static func continuation(of headers: [KafkaHeader]) -> TraceParent? {
        parent(in: headers)?.child()
    }

    /// The header that puts a message into `trace`.
    public static func header(_ trace: TraceParent) -> KafkaHeader {
        KafkaHeader(name: MessageHeader.traceParent, value: trace.bytes)
    }
}
