import Foundation
public import NIOCore
import NIOPosix
import Synchronization
import WireFormats

/// What went wrong on a terminal's connection.
public struct JT808ClientError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A truck's JT/T 808 terminal on a TCP connection to a platform (the hub's gateway): registers,
/// authenticates, sends heartbeats and location reports, each waiting for the platform's answer.
/// What `make demo`'s trucks of some carriers and `lubehub-bench gateway` connect with.
public final class JT808TerminalClient: Sendable {
    /// The terminal's number as its header carries it: 12 BCD digits (2013) or 20 (2019).
    public let number: String
    public let version2019: Bool
    private let channel: any Channel
    private let answers: AnswerHandler
    private let serial = Mutex<UInt16>(0)

    private init(number: String, version2019: Bool, channel: any Channel, answers: AnswerHandler) {
        self.number = number
        self.version2019 = version2019
        self.channel = channel
        self.answers = answers
    }

    /// - Parameter source: the local address to connect from (a benchmark spreads its terminals over
    ///   127.0.0.x, as trucks come from many addresses).
    public static func connect(group: any EventLoopGroup, host: String = "127.0.0.1", port: Int, number: String, version2019: Bool,
                               source: String? = nil) async throws -> JT808TerminalClient {
        let answers = AnswerHandler()
        var bootstrap = ClientBootstrap(group: group).channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(answers) }
            }
            .connect(host: host, port: port).get()
        return JT808TerminalClient(number: number, version2019: version2019, channel: channel, answers: answers)
    }

    /// Sends a location report body (0x0200); true when answered success.
    public func report(body: [UInt8]) async throws -> Bool {
        try await exchange(JT808MessageID.locationReport, body: body).body.last == 0
    }

    /// Sends a message and returns the platform's answer to it (the answer naming its serial).
    private func exchange(_ messageId: UInt16, body: [UInt8]) async throws -> JT808Frame {
        let serial = serial.withLock { serial in
            serial &+= 1
            return serial
        }
        let frame = JT808Frame(messageId: messageId, protocolVersion: version2019 ? 1 : nil, terminal: number, serial: serial, body: body)
        return try await withCheckedThrowingContinuation { continuation in
            answers.expect(serial, continuation)
            channel.writeAndFlush(ByteBuffer(bytes: frame.encoded())).whenFailure { self.answers.fail(serial, $0) }
        }
    }

    public func registerAndAuthenticate() async throws {
        let registration = try await exchange(JT808MessageID.register, body: [0, 31, 0, 100] + Array(repeating: 0x41, count: version2019 ? 72 : 33))
        guard registration.body.count > 3, registration.body[2] == 0 else { throw JT808ClientError("terminal \(number): registration refused \(registration.body)") }
        let code = String(decoding: registration.body[3...], as: UTF8.self)
        let answer = try await exchange(JT808MessageID.authenticate, body: JT808Authentication(code: code, imei: "860000000000001", softwareVersion: "1.0").body(version2019: version2019))
        guard answer.body.count == 5, answer.body[4] == 0 else { throw JT808ClientError("terminal \(number): authentication refused") }
    }

    public func heartbeat() async throws -> Bool {
        try await exchange(JT808MessageID.heartbeat, body: []).body.last == 0
    }

    /// One fix whose time is `second` (Unix seconds); true when answered success.
    public func report(second: Int) async throws -> Bool {
        let body = Self.location(second: second, seed: Int(number.suffix(6)) ?? 0)
        return try await exchange(JT808MessageID.locationReport, body: body).body.last == 0
    }

    public func close() async {
        try? await channel.close()
    }

    /// A 0x0200 body for a fix taken at `second` (Unix seconds), somewhere near Shanghai by `seed`.
    static func location(second: Int, seed: Int) -> [UInt8] {
        CarrierMessages.locationBody(CarrierMessages.Fix(point: .init(lat: 31 + Double(seed % 1000) / 1000, lon: 121 + Double(seed % 997) / 1000),
                                                         speedKmh: 60, heading: 90, time: Date(timeIntervalSince1970: TimeInterval(second))))
    }
}

/// Reads the platform's frames and hands each answer to whoever waits for it (by the serial it answers).
private final class AnswerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let state = Mutex<(decoder: JT808StreamDecoder, waiting: [UInt16: CheckedContinuation<JT808Frame, any Error>], closed: Bool)>((JT808StreamDecoder(), [:], false))

    func expect(_ serial: UInt16, _ continuation: CheckedContinuation<JT808Frame, any Error>) {
        let closed = state.withLock { state in
            if !state.closed { state.waiting[serial] = continuation }
            return state.closed
        }
        if closed { continuation.resume(throwing: JT808ClientError("the gateway closed the connection")) }
    }

    func fail(_ serial: UInt16, _ error: any Error) {
        state.withLock { $0.waiting.removeValue(forKey: serial) }?.resume(throwing: error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var resumed: [(CheckedContinuation<JT808Frame, any Error>, JT808Frame)] = []
        state.withLock { state in
            for case .frame(let bytes) in state.decoder.feed(buffer.readableBytesView) {
                guard let answer = try? JT808Frame.decode(bytes), answer.body.count >= 2 else { continue }
                let serial = UInt16(answer.body[0]) << 8 | UInt16(answer.body[1])
                if let waiter = state.waiting.removeValue(forKey: serial) { resumed.append((waiter, answer)) }
            }
        }
        for (waiter, answer) in resumed { waiter.resume(returning: answer) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for waiter in waiters { waiter.resume(throwing: JT808ClientError("the gateway closed the connection")) }
        context.fireChannelInactive()
    }
}
