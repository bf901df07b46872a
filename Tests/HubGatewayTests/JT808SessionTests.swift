import HubContracts
import HubGateway
import Testing
import WireFormats

@Suite("JT/T 808 gateway: the session rules")
struct JT808SessionTests {
    static let number2013 = "013800000001"
    static let number2019 = "00000000013800000001"

    static func directory(code: String = "c0de") -> TerminalDirectory {
        let directory = TerminalDirectory()
        directory.register(terminal: number2013, vehicle: "V-1", carrier: "CAR-1")
        directory.register(terminal: "013800000003", vehicle: "V-3", carrier: "CAR-3")
        directory.remember(TerminalAuthorised(terminalId: "13800000001", vehicleId: "V-1", carrierId: "CAR-1", codeSha256: TerminalDirectory.hash(code)))
        return directory
    }

    static func frame(_ id: UInt16, number: String = number2013, version: UInt8? = nil, body: [UInt8] = [], encryption: UInt8 = 0) -> JT808Frame {
        JT808Frame(messageId: id, protocolVersion: version, terminal: number, serial: 7, encryption: encryption, body: body)
    }

    static func step(_ state: JT808SessionState, _ frame: JT808Frame, _ lookup: TerminalDirectory = directory()) -> (state: JT808SessionState, actions: [JT808SessionAction]) {
        JT808Session.step(state, frame: frame, raw: frame.encoded(), lookup: lookup)
    }

    static let terminal = GatewayTerminal(key: "13800000001", vehicle: "V-1", carrier: "CAR-1")
    static let location: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 2] + [0x01, 0xDC, 0xA4, 0x30, 0x07, 0x3D, 0xC8, 0x70] + [0, 12, 2, 0x58, 0, 90] + [0x26, 0x12, 0x04, 0x10, 0x00, 0x00]

    @Test("registration: a terminal no carrier registered gets 'no such terminal' and a dead letter; a known one a new code")
    func registration() {
        let unknown = Self.step(.unauthenticated, Self.frame(JT808MessageID.register, number: "013899999999"))
        #expect(unknown.state == .unauthenticated)
        #expect(unknown.actions.first == .registration(.noSuchTerminal))
        #expect(unknown.actions.contains { if case .deadLetter(let reason) = $0 { reason.contains("no carrier registered it") } else { false } })
        #expect(Self.step(.unauthenticated, Self.frame(JT808MessageID.register)).actions == [.issueCode(Self.terminal)])
        // The 2019 header's 20 digits are the same terminal.
        #expect(Self.step(.unauthenticated, Self.frame(JT808MessageID.register, number: Self.number2019, version: 1)).actions == [.issueCode(Self.terminal)])
    }

    @Test("authentication: the issued code in either header version authenticates; a wrong code, an unknown terminal or a garbled body do not")
    func authentication() {
        let good2013 = Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, body: JT808Authentication(code: "c0de").body(version2019: false)))
        #expect(good2013.state == .authenticated(Self.terminal))
        #expect(good2013.actions == [.respond(.success), .replaceOtherSessions(Self.terminal)])
        let body2019 = JT808Authentication(code: "c0de", imei: "860000000000001", softwareVersion: "1.0").body(version2019: true)
        #expect(Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, number: Self.number2019, version: 1, body: body2019)).state == .authenticated(Self.terminal))
        let wrong = Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, body: Array("c0dE".utf8)))
        #expect(wrong.state == .unauthenticated && wrong.actions == [.respond(.failure)])
        let stranger = Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, number: "013800000003", body: Array("c0de".utf8)))
        #expect(stranger.actions == [.respond(.failure)], "another terminal's code is not this one's")
        // A failed authentication in an authenticated session ends it.
        #expect(Self.step(.authenticated(Self.terminal), Self.frame(JT808MessageID.authenticate, body: Array("nope".utf8))).state == .unauthenticated)
        let garbled = Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, version: 1, body: [40, 1, 2]))
        #expect(garbled.actions.first == .respond(.messageError))
    }

    @Test("a code issued for another vehicle or carrier no longer authenticates (the terminal moved)")
    func movedTerminal() {
        let directory = Self.directory()
        directory.remember(TerminalAuthorised(terminalId: "13800000003", vehicleId: "V-OLD", carrierId: "CAR-3", codeSha256: TerminalDirectory.hash("x")))
        #expect(Self.step(.unauthenticated, Self.frame(JT808MessageID.authenticate, number: "013800000003", body: Array("x".utf8)), directory).actions == [.respond(.failure)])
        #expect(!directory.register(terminal: Self.number2013, vehicle: "V-9", carrier: "CAR-9"), "another carrier cannot take a registered terminal")
        #expect(directory.terminal(Self.number2019) == Self.terminal)
    }

    @Test("before authentication nothing but registration and authentication is taken; a terminal's own answer is never answered")
    func beforeAuthentication() {
        for id in [JT808MessageID.locationReport, JT808MessageID.batchUpload, JT808MessageID.heartbeat, JT808MessageID.positionQueryAnswer, JT808MessageID.logout, 0x0900] {
            let step = Self.step(.unauthenticated, Self.frame(id, body: Self.location))
            #expect(step.actions == [.respond(.failure)], "message \(JT808MessageID.name(id))")
            #expect(step.state == .unauthenticated)
        }
        #expect(Self.step(.unauthenticated, Self.frame(JT808MessageID.terminalResponse)).actions.isEmpty)
    }

    @Test("authenticated: heartbeat, positions forwarded as sent, a batch, another terminal's frame refused, encrypted refused, logout closes")
    func authenticated() throws {
        let state = JT808SessionState.authenticated(Self.terminal)
        #expect(Self.step(state, Self.frame(JT808MessageID.heartbeat)).actions == [.respond(.success)])
        let report = Self.frame(JT808MessageID.locationReport, body: Self.location)
        #expect(Self.step(state, report).actions == [.forward(bytes: report.encoded(), terminal: Self.terminal)])
        let batch = Self.frame(JT808MessageID.batchUpload, body: [0, 1, 0, 0, 28] + Self.location)
        #expect(Self.step(state, batch).actions == [.forward(bytes: batch.encoded(), terminal: Self.terminal)])
        let foreign = Self.step(state, Self.frame(JT808MessageID.locationReport, number: "013800000003", body: Self.location))
        #expect(foreign.actions.first == .respond(.failure) && foreign.actions.count == 2, "a terminal reports only for itself")
        for id in [JT808MessageID.register, JT808MessageID.authenticate] {
            let other = Self.step(state, Self.frame(id, number: "013800000003", body: Array("c0de".utf8)))
            #expect(other.state == state && other.actions.first == .respond(.failure), "another terminal cannot register or authenticate in this session")
        }
        #expect(Self.step(state, Self.frame(JT808MessageID.locationReport, body: Self.location, encryption: 1)).actions.first == .respond(.unsupported))
        #expect(Self.step(state, Self.frame(0x0900)).actions == [.respond(.unsupported)])
        #expect(Self.step(state, Self.frame(JT808MessageID.terminalResponse)).actions.isEmpty)
        let logout = Self.step(state, Self.frame(JT808MessageID.logout))
        #expect(logout.state == .closed(reason: "logout") && logout.actions.first == .respond(.success))
        #expect(Self.step(logout.state, report).actions.isEmpty, "nothing after the session closed")
    }

    @Test("a position query's answer (0x0201) is forwarded as the 0x0200 it carries; a short one is refused")
    func queryAnswer() throws {
        let state = JT808SessionState.authenticated(Self.terminal)
        let answer = Self.frame(JT808MessageID.positionQueryAnswer, body: [0x00, 0x05] + Self.location)
        guard case .forward(let bytes, _) = Self.step(state, answer).actions.first else {
            Issue.record("not forwarded")
            return
        }
        let forwarded = try JT808Frame.decode(bytes)
        #expect(forwarded.messageId == JT808MessageID.locationReport && forwarded.body == Self.location && forwarded.terminal == Self.number2013)
        #expect(try JT808Location.decode(forwarded.body).speedKmh == 60)
        #expect(Self.step(state, Self.frame(JT808MessageID.positionQueryAnswer, body: [0, 5, 1])).actions.first == .respond(.messageError))
    }

    @Test("codes are 128 random bits; only their hash is kept and compared")
    func codes() {
        let codes = Set((0..<100).map { _ in TerminalDirectory.newCode() })
        #expect(codes.count == 100 && codes.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(TerminalDirectory.hash("test") == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    }
}
