public import Foundation
public import HubContracts
import HubMessaging
public import Kafka
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization
import WireFormats

/// The JT/T 808 gateway: truck terminals connect over TCP, register, authenticate and report
/// positions; each position frame goes to `carrier.in.jt808` as it came (the carrier adapter maps
/// it), and the terminal's success answer (0x8001) is written only after the broker acknowledged
/// the write. When the broker does not take it the terminal is answered failure, so it sends the
/// fix again: no fix is acknowledged that is not safe.
///
/// Terminals are known from `hub.vehicles` (a carrier registered the terminal on a vehicle);
/// registration issues a random code whose SHA-256 goes to `hub.terminal-credentials`, so every
/// gateway instance authenticates every terminal. A connection is read only as fast as its frames
/// are acknowledged (NIO's back-pressure stops reading the socket), so a slow broker slows the
/// terminals instead of growing the gateway's memory.
public final class JT808Gateway: Service, Sendable {
    public struct Topics: Sendable {
        public var jt808 = TopicName.Carrier.jt808
        public var deadLetters = TopicName.Carrier.deadLetters
        public var vehicles = TopicName.vehicles
        public var credentials = TopicName.terminalCredentials
        public var commands = TopicName.terminalCommands
        public var sessions = TopicName.terminalSessions

        public init(prefix: String = "") {
            jt808 = prefix + jt808
            deadLetters = prefix + deadLetters
            vehicles = prefix + vehicles
            credentials = prefix + credentials
            commands = prefix + commands
            sessions = prefix + sessions
        }
    }

    public let limits: JT808GatewayLimits
    public let directory: TerminalDirectory
    public let metrics: JT808GatewayMetrics
    private let client: KafkaClientConfiguration
    private let topics: Topics
    private let logger: Logger
    private let sessions = JT808SessionTable()
    /// This instance's name in `hub.terminal-sessions`, and when it started (part of every session id).
    public let name: String
    private let started = Int64(Date().timeIntervalSince1970 * 1000)
    private let listening = Mutex<(port: Int?, waiters: [CheckedContinuation<Int?, Never>])>((nil, []))

    public init(limits: JT808GatewayLimits, client: KafkaClientConfiguration, topics: Topics = Topics(), directory: TerminalDirectory = TerminalDirectory(),
                metrics: JT808GatewayMetrics = JT808GatewayMetrics(), logger: Logger = Logger(label: "lubehub.gateway.jt808")) {
        self.limits = limits
        self.client = client
        self.topics = topics
        self.directory = directory
        self.metrics = metrics
        self.logger = logger
        self.name = limits.name ?? "\(ProcessInfo.processInfo.hostName):\(limits.port)"
    }

    /// The port it listens on, once it does (`nil` when it stopped before).
    public func waitUntilListening() async -> Int? {
        await withCheckedContinuation { continuation in
            let port = listening.withLock { state -> Int?? in
                if let port = state.port { return .some(port) }
                state.waiters.append(continuation)
                return .none
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    private func listeningStopped(port: Int?) {
        let waiters = listening.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: port) }
    }

    /// Connected and authenticated now.
    public var counts: (connections: Int, sessions: Int) { sessions.counts }

    /// Asks a connected terminal where it is (0x8201); its answer (0x0201) becomes a position like
    /// any other. False when the terminal has no session on this gateway.
    public func queryPosition(terminal: String) async -> Bool {
        guard let connection = sessions.session(of: GatewayTerminal.key(terminal)) else { return false }
        return await connection.queryPosition()
    }

    /// How old a locate request may be when read: older ones are dropped (a gateway starting reads the topic's last hour).
    public static let locateRequestLifetime: TimeInterval = 60

    /// A carrier's "where is this truck now": a position query to its terminal when it is connected
    /// here and registered to that carrier.
    func locate(_ request: VehicleLocateRequested, requestedAt: Date) async {
        guard Date().timeIntervalSince(requestedAt) <= Self.locateRequestLifetime else { return }
        guard let terminal = directory.terminal(request.terminalId), terminal.carrier == request.carrierId, terminal.vehicle == request.vehicleId else {
            metrics.positionQueryNotSent.increment()
            return
        }
        if await queryPosition(terminal: terminal.key) {
            metrics.positionQuerySent.increment()
            logger.info("position query sent", metadata: ["vehicle": "\(request.vehicleId)", "terminal": "\(terminal.key)", "by": "\(request.requestedBy)"])
        } else {
            metrics.positionQueryNotSent.increment()
        }
    }

    public func run() async throws {
        // Not idempotent: after a message timed out, librdkafka's idempotent producer bumps its epoch and
        // tansu 0.6.0 answers every later write "fenced" (measured: 12,000 fixes refused after one pause
        // of the broker). A write the broker took twice is harmless here: the terminal re-sends a fix
        // whose answer it missed anyway, and the store keeps one position per vehicle and fix time.
        let producer = try KafkaProducer(configuration: .init(
            client: client, acks: .all, idempotence: false, linger: .milliseconds(2), messageTimeout: .seconds(limits.acknowledgementTimeoutSeconds)),
            logger: logger)
        var feeds = [topics.vehicles, topics.credentials].map { topic in
            CanonicalTopicFeed(client: client, topic: topic, logger: logger) { [directory] in directory.apply($0) }
        }
        feeds.append(CanonicalTopicFeed(client: client, topic: topics.commands, logger: logger) { [weak self] event in
            guard case .vehicleLocateRequested(let request) = event.data else { return }
            Task { await self?.locate(request, requestedAt: event.occurredAt.date) }
        })
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for feed in feeds { group.addTask { try await feed.run() } }
                for feed in feeds { await feed.waitUntilLoaded() }
                let counts = directory.counts
                logger.info("terminals loaded", metadata: ["terminals": "\(counts.terminals)", "credentials": "\(counts.credentials)"])
                try await serve(producer: producer)
                group.cancelAll()
            }
        } catch {
            listeningStopped(port: nil)
            try? await producer.shutdown(flushTimeout: .seconds(10))
            throw error
        }
        // Every connection has written its answers; what was dead-lettered is flushed.
        try await producer.shutdown(flushTimeout: .seconds(Int64(limits.acknowledgementTimeoutSeconds)))
        logger.info("stopped")
    }

    private func serve(producer: KafkaProducer) async throws {
        let idle = TimeAmount.seconds(Int64(limits.idleTimeoutSeconds))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: limits.host, port: limits.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(IdleConnectionCloser())
                    // Two buffers ahead at most: while a fix waits for the broker, the socket is not read.
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2)))
                }
            }
        let port = server.channel.localAddress?.port ?? limits.port
        // Whatever sessions this instance held before it (re)started have ended.
        await publishSession(.gatewayStarted(GatewayStarted(gateway: name)), subject: name, id: "gateway-jt808:\(Self.idSafe(name)):started:\(started)", producer: producer)
        logger.info("listening", metadata: ["host": "\(limits.host)", "port": "\(port)", "gateway": "\(name)"])
        listeningStopped(port: port)
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        let address = connection.channel.remoteAddress?.ipAddress ?? "?"
                        switch sessions.admit(address: address, limits: limits) {
                        case .admitted(let id):
                            group.addTask { await self.handle(connection, id: id, address: address, producer: producer) }
                        case .overLimit:
                            metrics.refusedLimit.increment()
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                        case .overAddressLimit:
                            metrics.refusedAddress.increment()
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            // Stop accepting; stop reading every connection (each finishes the frame it is on and
            // writes its answer once the broker acknowledged it), then the connections close.
            server.channel.close(promise: nil)
            for connection in self.sessions.all { connection.channel.close(mode: .input, promise: nil) }
        }
    }

    private func handle(_ asyncChannel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, id: Int, address: String, producer: KafkaProducer) async {
        metrics.connectionOpened()
        defer { metrics.connectionClosed() }
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                let connection = JT808Connection(id: id, address: address, channel: asyncChannel.channel, writer: outbound)
                sessions.opened(connection)
                defer {
                    sessions.closed(id: id, address: address)
                    metrics.sessions(sessions.counts.sessions)
                }
                var reader = JT808ConnectionReader(limits: limits)
                defer { if let terminal = connection.terminal { ended(connection, terminal: terminal, lastFrame: reader.lastFrame, producer: producer) } }
                var state = JT808SessionState.unauthenticated
                for try await buffer in inbound {
                    for piece in reader.decoder.feed(buffer.readableBytesView) {
                        let raw: [UInt8]
                        switch piece {
                        case .garbage(let bytes, let reason):
                            metrics.badFrames.increment()
                            deadLetter(bytes, key: nil, reason: reason, from: address, producer: producer)
                            if reader.bad() { return close(connection, "bad frames: \(limits.maximumBadFramesInARow) in a row") }
                            continue
                        case .frame(let bytes):
                            raw = bytes
                        }
                        let frame: JT808Frame
                        do throws(JT808Error) {
                            frame = try JT808Frame.decode(raw)
                        } catch {
                            metrics.badFrames.increment()
                            deadLetter(raw, key: nil, reason: "JT/T 808 frame: \(error.description)", from: address, producer: producer)
                            if reader.bad() { return close(connection, "bad frames: \(limits.maximumBadFramesInARow) in a row") }
                            continue
                        }
                        reader.good()
                        metrics.frame(frame.messageId)
                        try await reader.pace()
                        let step = JT808Session.step(state, frame: frame, raw: raw, lookup: directory)
                        state = step.state
                        for action in step.actions {
                            try await perform(action, frame: frame, raw: raw, connection: connection, producer: producer)
                        }
                        if case .closed(let reason) = state { return close(connection, reason) }
                    }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["address": "\(address)", "error": "\(error)"])
        }
    }

    private func close(_ connection: JT808Connection, _ reason: String) {
        connection.ending(reason)
        logger.debug("closing", metadata: ["address": "\(connection.address)", "terminal": "\(connection.terminal?.key ?? "-")", "reason": "\(reason)"])
    }

    private func perform(_ action: JT808SessionAction, frame: JT808Frame, raw: [UInt8], connection: JT808Connection, producer: KafkaProducer) async throws {
        switch action {
        case .respond(let result):
            if frame.messageId == JT808MessageID.authenticate {
                (result == .success ? metrics.authenticationSucceeded : metrics.authenticationFailed).increment()
            }
            try await connection.send(JT808Platform.generalResponse(to: frame, result: result, serial: connection.nextSerial()))
        case .registration(let result):
            if result == .noSuchTerminal { metrics.unknownTerminal.increment() }
            try await connection.send(JT808Platform.registrationResponse(to: frame, result: result, code: nil, serial: connection.nextSerial()))
        case .issueCode(let terminal):
            let code = TerminalDirectory.newCode()
            let credential = TerminalAuthorised(terminalId: terminal.key, vehicleId: terminal.vehicle, carrierId: terminal.carrier, codeSha256: TerminalDirectory.hash(code))
            let now = Date()
            let event = CanonicalEvent(id: "gateway-jt808:\(terminal.key):\(Int64(now.timeIntervalSince1970 * 1000)):\(code.prefix(8))", source: "gateway-jt808",
                                       occurredAt: Timestamp(now), subject: terminal.key, data: .terminalAuthorised(credential))
            do {
                try await producer.send(KafkaProducerMessage(topic: topics.credentials, key: Array(terminal.key.utf8), value: try event.encoded()))
            } catch {
                // Not kept, so not given: the terminal hears nothing and registers again.
                metrics.codeNotStored.increment()
                logger.warning("registration not stored", metadata: ["terminal": "\(terminal.key)", "error": "\(error)"])
                return
            }
            directory.remember(credential)
            metrics.registered.increment()
            try await connection.send(JT808Platform.registrationResponse(to: frame, result: .success, code: code, serial: connection.nextSerial()))
        case .forward(let bytes, let terminal):
            let started = ContinuousClock.now
            let message = KafkaProducerMessage(topic: topics.jt808, key: Array(frame.terminal.utf8), value: bytes,
                                               headers: [KafkaHeader(name: "carrier.id", string: terminal.carrier)])
            let result: JT808Result
            do {
                try await producer.send(message)
                let elapsed = (ContinuousClock.now - started).components
                metrics.ackTime.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
                result = .success
            } catch {
                metrics.ackFailures.increment()
                logger.warning("fix not taken by the broker: answered failure", metadata: ["terminal": "\(terminal.key)", "error": "\(error)"])
                result = .failure
            }
            try await connection.send(JT808Platform.generalResponse(to: frame, result: result, serial: connection.nextSerial()))
        case .replaceOtherSessions(let terminal):
            connection.authenticated(as: terminal, frame: frame)
            let previous = sessions.claim(terminal, for: connection)
            metrics.sessions(sessions.counts.sessions)
            if let previous {
                logger.info("session replaced", metadata: ["terminal": "\(terminal.key)", "old": "\(previous.address)", "new": "\(connection.address)"])
                previous.ending("replaced by a new session from \(connection.address)")
                previous.channel.close(promise: nil)
            }
            await publishSession(.terminalConnected(TerminalConnected(
                terminalId: terminal.key, vehicleId: terminal.vehicle, carrierId: terminal.carrier, sessionId: sessionId(connection), gateway: name,
                address: connection.address, protocolVersion: frame.protocolVersion == nil ? "2013" : "2019")),
                subject: terminal.key, id: "gateway-jt808:\(sessionId(connection)):connected", producer: producer)
        case .deadLetter(let reason):
            deadLetter(raw, key: frame.terminal, reason: reason, from: connection.address, producer: producer)
        case .close:
            break  // the state is closed: the loop ends after the answers
        }
    }

    /// `<gateway>:<started ms>:<connection>`, fit for an event id.
    private func sessionId(_ connection: JT808Connection) -> String { "\(Self.idSafe(name)):\(started):\(connection.id)" }

    /// Only what an envelope id may hold (letters, digits, `._:-`), at most 90 characters.
    static func idSafe(_ text: String) -> String {
        String(String(text.unicodeScalars.map { scalar in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._:-".unicodeScalars.contains(scalar))) ? Character(scalar) : "-"
        }).prefix(90))
    }

    /// An authenticated connection ended: `terminal.disconnected` with why (what closed it, else idle
    /// when nothing came for the idle timeout, else the terminal or the network closed it).
    private func ended(_ connection: JT808Connection, terminal: GatewayTerminal, lastFrame: ContinuousClock.Instant, producer: KafkaProducer) {
        let idle = ContinuousClock.now - lastFrame >= .seconds(limits.idleTimeoutSeconds) - .milliseconds(500)
        let reason = connection.endReason ?? (idle ? "idle: nothing for \(limits.idleTimeoutSeconds) s" : "closed by the terminal or the network")
        let end = TerminalDisconnected(terminalId: terminal.key, vehicleId: terminal.vehicle, carrierId: terminal.carrier, sessionId: sessionId(connection),
                                       gateway: name, reason: reason)
        Task { await publishSession(.terminalDisconnected(end), subject: terminal.key, id: "gateway-jt808:\(sessionId(connection)):disconnected", producer: producer) }
    }

    /// A session event on `hub.terminal-sessions`, handed to the producer (not waited for: the
    /// terminal's answer does not depend on it).
    private func publishSession(_ data: EventData, subject: String, id: String, producer: KafkaProducer) async {
        let event = CanonicalEvent(id: id, source: "gateway-jt808", occurredAt: Timestamp(Date()), subject: subject, data: data)
        do {
            try await producer.enqueue(KafkaProducerMessage(topic: topics.sessions, key: Array(subject.utf8), value: try event.encoded()))
        } catch {
            logger.warning("session event not sent", metadata: ["type": "\(event.type)", "subject": "\(subject)", "error": "\(error)"])
        }
    }

    private func deadLetter(_ bytes: [UInt8], key: String?, reason: String, from address: String, producer: KafkaProducer) {
        let message = DeadLetter.message(key: key.map { Array($0.utf8) }, value: bytes, source: "tcp:jt808:\(address)", to: topics.deadLetters,
                                         reason: reason, stage: .decode)
        Task { try? await producer.enqueue(message) }
    }
}

/// Closes a connection that sent nothing for the idle timeout.
private final class IdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// A connection's reading: the stream decoder, bad frames in a row, and the frames-per-second pace.
struct JT808ConnectionReader {
    var decoder: JT808StreamDecoder
    private let limits: JT808GatewayLimits
    private var badInARow = 0
    private var windowStart = ContinuousClock.now
    private var framesInWindow = 0
    /// When the last whole frame arrived (or the connection opened).
    private(set) var lastFrame = ContinuousClock.now

    init(limits: JT808GatewayLimits) {
        self.limits = limits
        decoder = JT808StreamDecoder(maximumFrameBytes: limits.maximumFrameBytes)
    }

    /// Counts a bad frame; true when there were too many in a row.
    mutating func bad() -> Bool {
        badInARow += 1
        return badInARow >= limits.maximumBadFramesInARow
    }

    mutating func good() {
        badInARow = 0
        lastFrame = .now
    }

    /// Waits out the rest of the second when the connection sent its frames for it.
    mutating func pace() async throws {
        let now = ContinuousClock.now
        if now - windowStart >= .seconds(1) {
            windowStart = now
            framesInWindow = 0
        }
        framesInWindow += 1
        if framesInWindow > limits.maximumFramesPerSecond {
            try await Task.sleep(until: windowStart + .seconds(1), clock: .continuous)
            windowStart = .now
            framesInWindow = 1
        }
    }
}
