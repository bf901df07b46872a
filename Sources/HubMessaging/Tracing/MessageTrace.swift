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
    /// first span of a new trace when the message carries none (an outside system's raw input).
    public static func span(for headers: [KafkaHeader]) -> TraceParent {
        TraceParent.continuing(parent(in: headers))
    }

    /// The header that puts a message into `trace`.
    public static func header(_ trace: TraceParent) -> KafkaHeader {
        KafkaHeader(name: MessageHeader.traceParent, value: trace.bytes)
    }
}
