import Foundation
import HubContracts
import NIOPosix
import Synchronization
import WireFormats

/// Sends the location reports of some trucks over TCP to the hub's JT/T 808 gateway, as their
/// terminals would, instead of putting them on `carrier.in.jt808`; everything else goes on to
/// `next`. Each truck's terminal connects, registers and authenticates on its first report and
/// keeps its connection; a report counts once the gateway answered success. A frame the run
/// malformed on purpose goes to `next` (the adapter dead-letters it), so the gateway only sees
/// what a terminal could send.
public final class GatewayRoutedSink: MessageSink {
    public struct Endpoint: Sendable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    private let next: any MessageSink
    private let endpoint: Endpoint
    private let terminals: Set<String>
    private let clients = Mutex<[String: JT808TerminalClient]>([:])
    private let outcomes = Mutex((answered: 0, refused: 0))

    /// Reports the gateway answered success, and those it did not (or whose connection failed).
    public var answered: Int { outcomes.withLock { $0.answered } }
    public var refused: Int { outcomes.withLock { $0.refused } }

    /// - Parameter terminals: the terminal numbers (as their headers carry them) that report through the gateway.
    public init(next: any MessageSink, endpoint: Endpoint, terminals: Set<String>) {
        self.next = next
        self.endpoint = endpoint
        self.terminals = terminals
    }

    /// The trucks of the fleet that report through the gateway: those of the first `carriers` carriers with JT/T 808 terminals (both header versions).
    public static func terminals(of fleet: Fleet, carriers: Int) -> Set<String> {
        let chosen = Set(fleet.carriers.prefix(carriers))
        return Set(fleet.trucks.filter { chosen.contains($0.carrierId) && $0.reporting != .json }.map(\.terminal))
    }

    public func send(_ messages: [ERPDocuments.Message]) async throws {
        var rest: [ERPDocuments.Message] = []
        var reports: [String: [[UInt8]]] = [:]
        for message in messages {
            if message.topic == TopicName.Carrier.jt808, terminals.contains(message.key), let frame = try? JT808Frame.decode(message.value),
               frame.messageId == JT808Location.locationReport {
                reports[message.key, default: []].append(frame.body)
            } else {
                rest.append(message)
            }
        }
        try await next.send(rest)
        await withTaskGroup(of: Void.self) { group in
            for (terminal, bodies) in reports {
                group.addTask {
                    for body in bodies {
                        let success = await self.report(terminal, body: body)
                        self.outcomes.withLock { if success { $0.answered += 1 } else { $0.refused += 1 } }
                    }
                }
            }
        }
    }

    private func report(_ terminal: String, body: [UInt8]) async -> Bool {
        do {
            let client = try await client(for: terminal)
            if try await client.report(body: body) { return true }
        } catch {
            if let client = clients.withLock({ $0.removeValue(forKey: terminal) }) { await client.close() }
        }
        return false
    }

    private func client(for terminal: String) async throws -> JT808TerminalClient {
        if let client = clients.withLock({ $0[terminal] }) { return client }
        let client = try await JT808TerminalClient.connect(group: MultiThreadedEventLoopGroup.singleton, host: endpoint.host, port: endpoint.port,
                                                           number: terminal, version2019: terminal.count == 20)
        do {
            try await client.registerAndAuthenticate()
        } catch {
            await client.close()
            throw error
        }
        clients.withLock { $0[terminal] = client }
        return client
    }

    public func close() async {
        for client in clients.withLock({ clients in defer { clients = [:] }; return Array(clients.values) }) { await client.close() }
    }
}
