public import CoreMetrics
import WireFormats
import Synchronization

/// The gateway's metrics (exported in Prometheus format with the hub's others):
///
/// | metric | dimensions |
/// |---|---|
/// | `lubehub_gateway_jt808_connections` | — (connected now) |
/// | `lubehub_gateway_jt808_authenticated` | — (authenticated sessions now) |
/// | `lubehub_gateway_jt808_connections_refused_total` | reason (limit, address) |
/// | `lubehub_gateway_jt808_registrations_total` | result (success, no_such_terminal, not_stored) |
/// | `lubehub_gateway_jt808_authentications_total` | result (success, failure) |
/// | `lubehub_gateway_jt808_frames_total` | message (0x0200, 0x0002 …) |
/// | `lubehub_gateway_jt808_bad_frames_total` | — |
/// | `lubehub_gateway_jt808_ack_seconds` | — (broker write to the terminal's answer) |
/// | `lubehub_gateway_jt808_ack_failures_total` | — (the broker did not take a fix: answered failure) |
/// | `lubehub_gateway_jt808_position_queries_total` | result (sent; not_here: the terminal has no session on this instance) |
public final class JT808GatewayMetrics: Sendable {
    private let factory: any MetricsFactory
    private let connections: Gauge
    private let authenticated: Gauge
    private let count = Mutex(0)
    private let frameCounters = Mutex<[UInt16: Counter]>([:])
    let refusedLimit: Counter
    let refusedAddress: Counter
    let registered: Counter
    let unknownTerminal: Counter
    let codeNotStored: Counter
    let authenticationSucceeded: Counter
    let authenticationFailed: Counter
    let badFrames: Counter
    let ackTime: Timer
    let ackFailures: Counter
    let positionQuerySent: Counter
    let positionQueryNotSent: Counter

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        let prefix = "lubehub_gateway_jt808_"
        connections = Gauge(label: prefix + "connections", factory: factory)
        authenticated = Gauge(label: prefix + "authenticated", factory: factory)
        refusedLimit = Counter(label: prefix + "connections_refused_total", dimensions: [("reason", "limit")], factory: factory)
        refusedAddress = Counter(label: prefix + "connections_refused_total", dimensions: [("reason", "address")], factory: factory)
        registered = Counter(label: prefix + "registrations_total", dimensions: [("result", "success")], factory: factory)
        unknownTerminal = Counter(label: prefix + "registrations_total", dimensions: [("result", "no_such_terminal")], factory: factory)
        codeNotStored = Counter(label: prefix + "registrations_total", dimensions: [("result", "not_stored")], factory: factory)
        authenticationSucceeded = Counter(label: prefix + "authentications_total", dimensions: [("result", "success")], factory: factory)
        authenticationFailed = Counter(label: prefix + "authentications_total", dimensions: [("result", "failure")], factory: factory)
        badFrames = Counter(label: prefix + "bad_frames_total", factory: factory)
        ackTime = Timer(label: prefix + "ack_seconds", preferredDisplayUnit: .seconds, factory: factory)
        ackFailures = Counter(label: prefix + "ack_failures_total", factory: factory)
        positionQuerySent = Counter(label: prefix + "position_queries_total", dimensions: [("result", "sent")], factory: factory)
        positionQueryNotSent = Counter(label: prefix + "position_queries_total", dimensions: [("result", "not_here")], factory: factory)
    }

    func frame(_ messageId: UInt16) {
        let counter = frameCounters.withLock { counters in
            if let counter = counters[messageId] { return counter }
            let counter = Counter(label: "lubehub_gateway_jt808_frames_total", dimensions: [("message", JT808MessageID.name(messageId))], factory: factory)
            counters[messageId] = counter
            return counter
        }
        counter.increment()
    }

    func connectionOpened() { connections.record(count.withLock { $0 += 1; return $0 }) }
    func connectionClosed() { connections.record(count.withLock { $0 -= 1; return $0 }) }
    /// The terminals with a session now, as the session table counts them.
    func sessions(_ now: Int) { authenticated.record(now) }
}
