public import WireFormats

/// Who a terminal is to the gateway: its number as its frames carry it, and the vehicle and
/// carrier a carrier registered it to (`vehicle.registered`).
public struct GatewayTerminal: Sendable, Equatable {
    /// The number without leading zeros: the same terminal in 2013 (12 digits) and 2019 (20) headers.
    public var key: String
    public var vehicle: String
    public var carrier: String

    public init(key: String, vehicle: String, carrier: String) {
        self.key = key
        self.vehicle = vehicle
        self.carrier = carrier
    }

    public static func key(_ number: String) -> String {
        let trimmed = number.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}

/// What the session rules look up: which terminals carriers registered, and whether an
/// authentication code is the one the gateway issued.
public protocol TerminalLookup: Sendable {
    /// The registered terminal, `nil` when no carrier registered it on a vehicle.
    func terminal(_ number: String) -> GatewayTerminal?
    /// Whether `code` is the code issued to the terminal (its hash matches, and it was issued for
    /// the vehicle and carrier the terminal is registered to now).
    func accepts(code: String, for terminal: GatewayTerminal) -> Bool
}

/// One connection's state. Nothing but registration and authentication is taken before the
/// terminal authenticated; afterwards every frame must carry the authenticated number.
public enum JT808SessionState: Sendable, Equatable {
    case unauthenticated
    case authenticated(GatewayTerminal)
    case closed(reason: String)
}

/// What the connection does with one frame, in order.
public enum JT808SessionAction: Sendable, Equatable {
    /// A platform general response (0x8001) to the frame.
    case respond(JT808Result)
    /// A registration response (0x8100) without a code.
    case registration(JT808RegistrationResult)
    /// Issue a new code to the terminal, keep its hash (acknowledged by the broker), then answer
    /// 0x8100 with it; when keeping it fails, no answer (the terminal registers again).
    case issueCode(GatewayTerminal)
    /// Put `bytes` on `carrier.in.jt808` for the terminal, then answer success only once the broker
    /// acknowledged them; failure when it did not.
    case forward(bytes: [UInt8], terminal: GatewayTerminal)
    /// Close another connection of this terminal: one live session per terminal.
    case replaceOtherSessions(GatewayTerminal)
    /// The frame, raw, to `carrier.dlq` with the reason.
    case deadLetter(String)
    /// Close this connection after the answers.
    case close(String)
}

/// The gateway's session rules: a pure decision per frame, tested without sockets or Kafka.
public enum JT808Session {
    /// The next state and the actions for `frame` (whose escaped bytes are `raw`) in `state`.
    public static func step(_ state: JT808SessionState, frame: JT808Frame, raw: [UInt8], lookup: some TerminalLookup)
        -> (state: JT808SessionState, actions: [JT808SessionAction]) {
        if case .closed = state { return (state, []) }
        let number = GatewayTerminal.key(frame.terminal)
        // Once authenticated, a session is its terminal's alone: no frame of another number, not even a registration.
        if case .authenticated(let terminal) = state, number != terminal.key {
            return (state, [.respond(.failure), .deadLetter("frame of terminal \(frame.terminal) in the session of terminal \(terminal.key): a terminal reports only for itself")])
        }
        switch frame.messageId {
        case JT808MessageID.register:
            guard let terminal = lookup.terminal(number) else {
                return (state, [.registration(.noSuchTerminal), .deadLetter("registration of terminal \(frame.terminal): no carrier registered it on a vehicle (vehicle.registered with this terminalId)")])
            }
            return (state, [.issueCode(terminal)])
        case JT808MessageID.authenticate:
            let code: String
            do {
                code = try JT808Authentication.decode(frame).code
            } catch {
                return (state, [.respond(.messageError), .deadLetter("authentication of terminal \(frame.terminal): \(error.description)")])
            }
            guard let terminal = lookup.terminal(number), lookup.accepts(code: code, for: terminal) else {
                return (.unauthenticated, [.respond(.failure)])
            }
            return (.authenticated(terminal), [.respond(.success), .replaceOtherSessions(terminal)])
        default:
            break
        }
        guard case .authenticated(let terminal) = state else {
            // A terminal's own answers are never answered; anything else is refused until it authenticates.
            return (state, frame.messageId == JT808MessageID.terminalResponse ? [] : [.respond(.failure)])
        }
        switch frame.messageId {
        case JT808MessageID.heartbeat:
            return (state, [.respond(.success)])
        case JT808MessageID.logout:
            return (.closed(reason: "logout"), [.respond(.success), .close("the terminal logged out")])
        case JT808MessageID.terminalResponse:
            return (state, [])
        case JT808MessageID.locationReport, JT808MessageID.batchUpload:
            guard frame.encryption == 0 else {
                return (state, [.respond(.unsupported), .deadLetter("message \(JT808MessageID.name(frame.messageId)) of terminal \(frame.terminal): the body is encrypted (RSA); the hub cannot read it")])
            }
            return (state, [.forward(bytes: raw, terminal: terminal)])
        case JT808MessageID.positionQueryAnswer:
            do {
                let report = try JT808Platform.locationReport(fromQueryAnswer: frame)
                return (state, [.forward(bytes: report.encoded(), terminal: terminal)])
            } catch {
                return (state, [.respond(.messageError), .deadLetter("position query answer of terminal \(frame.terminal): \(error.description)")])
            }
        default:
            return (state, [.respond(.unsupported)])
        }
    }
}
