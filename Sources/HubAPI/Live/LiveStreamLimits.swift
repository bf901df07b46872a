import Synchronization

/// How many live streams (server-sent events and WebSockets) may be open: a few per caller (a
/// dealer's browser tabs, a system's consumers) and a bound in all, so a caller who opens
/// streams in a loop takes neither the server's memory nor its connections to the database. One
/// more than the bound is answered 429 with the limit named, and `Retry-After`.
public final class LiveStreamLimits: Sendable {
    public let perCaller: Int
    public let total: Int
    private let open = Mutex<(total: Int, byCaller: [String: Int])>((0, [:]))

    public init(perCaller: Int = 4, total: Int = 2_000) {
        self.perCaller = perCaller
        self.total = total
    }

    /// A place held for one stream; given back when the lease is dropped (the stream ended, however).
    final class Lease: Sendable {
        private let limits: LiveStreamLimits
        private let caller: String

        fileprivate init(_ limits: LiveStreamLimits, caller: String) {
            self.limits = limits
            self.caller = caller
        }

        deinit { limits.release(caller) }
    }

    /// Holds a place for one more stream of `caller`, or answers 429.
    func admit(_ caller: String) throws(APIProblem) -> Lease {
        let refusal: String? = open.withLock { open in
            if open.byCaller[caller, default: 0] >= perCaller {
                return "\(caller) has \(perCaller) live streams open already (the most one caller may have): close one first"
            }
            if open.total >= total { return "the hub serves \(total) live streams already (the most it serves): retry in a few seconds" }
            open.total += 1
            open.byCaller[caller, default: 0] += 1
            return nil
        }
        if let refusal { throw APIProblem(.tooManyRequests, refusal) }
        return Lease(self, caller: caller)
    }

    /// Whether one more stream of `caller` would be admitted now (a WebSocket's upgrade is
    /// refused with 429 before it is made).
    func check(_ caller: String) throws(APIProblem) {
        _ = try admit(caller)
    }

    /// How many streams are open: in all, and `caller`'s.
    public func count(of caller: String? = nil) -> Int {
        open.withLock { open in caller.map { open.byCaller[$0, default: 0] } ?? open.total }
    }

    private func release(_ caller: String) {
        open.withLock { open in
            open.total -= 1
            let left = open.byCaller[caller, default: 1] - 1
            open.byCaller[caller] = left > 0 ? left : nil
        }
    }
}
