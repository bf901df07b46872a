import Foundation
import NIOCore
import Synchronization
import WireFormats

/// One terminal's TCP connection: its channel, the writer of its answers, the platform's serial
/// numbers and the terminal it authenticated as. Shared with the session table, so a newer
/// session of the same terminal can close it and a position query can be written to it.
final class JT808Connection: Sendable {
    let id: Int
    let address: String
    let channel: any Channel
    private let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let state = Mutex<(serial: UInt16, terminal: GatewayTerminal?, protocolVersion: UInt8?, number: String?)>((0, nil, nil, nil))

    init(id: Int, address: String, channel: any Channel, writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.id = id
        self.address = address
        self.channel = channel
        self.writer = writer
    }

    var terminal: GatewayTerminal? { state.withLock { $0.terminal } }

    private let end = Mutex<String?>(nil)

    /// Why the gateway ends this connection (the first reason given stands).
    func ending(_ reason: String) { end.withLock { if $0 == nil { $0 = reason } } }
    var endReason: String? { end.withLock { $0 } }

    func authenticated(as terminal: GatewayTerminal, frame: JT808Frame) {
        state.withLock { state in
            state.terminal = terminal
            state.protocolVersion = frame.protocolVersion
            state.number = frame.terminal
        }
    }

    func nextSerial() -> UInt16 {
        state.withLock { state in
            defer { state.serial &+= 1 }
            return state.serial
        }
    }

    func send(_ frame: JT808Frame) async throws {
        try await writer.write(ByteBuffer(bytes: frame.encoded()))
    }

    /// 0x8201 to the authenticated terminal, in the header version it spoke; false when it has not authenticated.
    func queryPosition() async -> Bool {
        guard let (number, version) = state.withLock({ state in state.number.map { ($0, state.protocolVersion) } }) else { return false }
        do {
            try await send(JT808Platform.positionQuery(terminal: number, protocolVersion: version, serial: nextSerial()))
            return true
        } catch {
            return false
        }
    }
}

/// The live connections: counted in all and per address, and one authenticated session per terminal.
final class JT808SessionTable: Sendable {
    private struct Table {
        var connections: [Int: JT808Connection] = [:]
        var perAddress: [String: Int] = [:]
        var byTerminal: [String: JT808Connection] = [:]
        /// Admitted, opened or not yet.
        var total = 0
        var nextId = 0
    }

    private let table = Mutex(Table())

    enum Admission {
        case admitted(Int)
        case overLimit
        case overAddressLimit
    }

    /// Reserves a place for a connection from `address` within the limits.
    func admit(address: String, limits: JT808GatewayLimits) -> Admission {
        table.withLock { table in
            guard table.total < limits.maximumConnections else { return .overLimit }
            guard table.perAddress[address, default: 0] < limits.maximumConnectionsPerAddress else { return .overAddressLimit }
            table.perAddress[address, default: 0] += 1
            table.total += 1
            table.nextId += 1
            return .admitted(table.nextId)
        }
    }

    func opened(_ connection: JT808Connection) {
        table.withLock { $0.connections[connection.id] = connection }
    }

    /// Forgets the connection and gives its place back; true when it was its terminal's session.
    @discardableResult
    func closed(id: Int, address: String) -> Bool {
        table.withLock { table in
            let connection = table.connections.removeValue(forKey: id)
            table.total -= 1
            if let count = table.perAddress[address] { table.perAddress[address] = count > 1 ? count - 1 : nil }
            guard let key = connection?.terminal?.key, table.byTerminal[key]?.id == id else { return false }
            table.byTerminal[key] = nil
            return true
        }
    }

    /// Makes `connection` its terminal's session; returns the one it replaces.
    func claim(_ terminal: GatewayTerminal, for connection: JT808Connection) -> JT808Connection? {
        table.withLock { table in
            let previous = table.byTerminal[terminal.key]
            table.byTerminal[terminal.key] = connection
            return previous?.id == connection.id ? nil : previous
        }
    }

    func session(of terminalKey: String) -> JT808Connection? {
        table.withLock { $0.byTerminal[terminalKey] }
    }

    var all: [JT808Connection] { table.withLock { Array($0.connections.values) } }

    var counts: (connections: Int, sessions: Int) { table.withLock { ($0.total, $0.byTerminal.count) } }
}
