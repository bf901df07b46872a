/// The names of the Kafka headers the hub writes and reads beyond a dead letter's own
/// (``DeadLetter``), written once.
public enum MessageHeader {
    /// The canonical event's id: a subscriber drops a message whose id it has seen.
    public static let eventId = "event.id"
    /// The W3C trace context of the work the message belongs to (`00-<trace>-<span>-<flags>`).
    public static let traceParent = "traceparent"
    /// Vendors' trace state travelling with `traceparent`.
    public static let traceState = "tracestate"
}
