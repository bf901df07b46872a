/// Where the gateway listens and what one terminal, one address and all of them may take.
public struct JT808GatewayLimits: Sendable, Equatable {
    /// 127.0.0.1 in the embedded defaults; `0.0.0.0` (or an interface's address) where trucks connect.
    public var host = "127.0.0.1"
    /// 0 takes a free port (tests, the benchmark).
    public var port = 6808
    /// This instance's name in `hub.terminal-sessions` (default host name:port): keep it the same
    /// across restarts, so a restart ends the sessions the instance held before.
    public var name: String?
    /// The heartbeat interval the terminals are configured with (their parameter 0x0001).
    public var heartbeatSeconds = 60
    /// A connection that sends nothing for this many heartbeat intervals is closed.
    public var idleHeartbeats = 3
    /// One frame, escaped, flags included: a 1,023-byte body fits.
    public var maximumFrameBytes = 2_100
    /// Connections in all, and from one address (carrier-grade NAT puts many trucks behind one).
    public var maximumConnections = 20_000
    public var maximumConnectionsPerAddress = 2_000
    /// Frames a connection may send per second; beyond it the gateway stops reading it for the
    /// rest of the second (a terminal uploading its blind-area backlog is slowed, not cut off).
    public var maximumFramesPerSecond = 50
    /// Bad frames or garbage in a row after which the connection is closed.
    public var maximumBadFramesInARow = 8
    /// How long a fix may wait for the broker before the terminal is answered failure.
    public var acknowledgementTimeoutSeconds = 30

    public init() {}

    public var idleTimeoutSeconds: Int { heartbeatSeconds * idleHeartbeats }
}
