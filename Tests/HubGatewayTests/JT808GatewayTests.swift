import Foundation
import HubContracts
import HubGateway
import Kafka
import KafkaTestSupport
import Logging
import NIOPosix
import ServiceLifecycle
import Simulator
import Testing
import WireFormats

/// The gateway as a service on the real broker, with terminals on real sockets: limits on
/// connections per address refuse the one too many and leave the others working, and a graceful
/// shutdown ends with every fix it answered success on `carrier.in.jt808`.
@Suite("JT/T 808 gateway: a running gateway on the broker")
struct JT808GatewayTests {
    @Test("the connection over the per-address limit is closed, the others keep working; graceful shutdown leaves every answered fix on the topic")
    func limitsAndShutdown() async throws {
        let prefix = TestBroker.uniqueName("gateway") + "."
        let topics = JT808Gateway.Topics(prefix: prefix)
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        _ = try await admin.createTopics([topics.vehicles, topics.credentials, topics.commands, topics.sessions, topics.jt808, topics.deadLetters]
            .map { KafkaNewTopic(name: $0, partitions: 1) })
        let producer = try TestBroker.producer()
        for index in 1...2 {
            let event = CanonicalEvent(id: "reg-\(index)", source: "test", occurredAt: Timestamp(Date()), subject: "V-\(index)",
                                       data: .vehicleRegistered(VehicleRegistered(vehicleId: "V-\(index)", carrierId: "CAR-T", plate: "沪A·0000\(index)", terminalId: "01380000000\(index)")))
            try await producer.send(KafkaProducerMessage(topic: topics.vehicles, key: Array("V-\(index)".utf8), value: try event.encoded()))
        }
        try await producer.shutdown()

        var limits = JT808GatewayLimits()
        limits.port = 0
        limits.maximumConnectionsPerAddress = 2
        limits.name = "test-gateway"
        let gateway = JT808Gateway(limits: limits, client: TestBroker.client, topics: topics)
        let group = ServiceGroup(services: [gateway], logger: Logger(label: "test"))
        var answered: [String] = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(await gateway.waitUntilListening())
            let loop = MultiThreadedEventLoopGroup.singleton
            let first = try await JT808TerminalClient.connect(group: loop, port: port, number: "013800000001", version2019: false)
            let second = try await JT808TerminalClient.connect(group: loop, port: port, number: "00000000013800000002", version2019: true)
            try await first.registerAndAuthenticate()
            try await second.registerAndAuthenticate()
            let third = try await JT808TerminalClient.connect(group: loop, port: port, number: "013800000001", version2019: false)
            await #expect(throws: JT808ClientError.self, "the third connection from 127.0.0.1 is closed") { try await third.registerAndAuthenticate() }
            for (terminal, client) in [("013800000001", first), ("00000000013800000002", second)] {
                for second in 0..<3 {
                    let time = 1_795_910_400 + second
                    #expect(try await client.report(second: time), "terminal \(terminal) fix \(second)")
                    answered.append("\(terminal.suffix(11))@\(time)")
                }
            }
            #expect(gateway.counts == (connections: 2, sessions: 2))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let reader = try TestBroker.consumer(topics: [topics.jt808])
        let stored = try await TestBroker.collect(answered.count, from: reader).compactMap { message -> String? in
            guard let value = message.value, let frame = try? JT808Frame.decode(value), let fix = try? JT808Location.decode(frame.body) else { return nil }
            #expect(message.headers.first { $0.name == "carrier.id" }?.stringValue == "CAR-T")
            return "\(frame.terminal.suffix(11))@\(Int(fix.time.timeIntervalSince1970))"
        }
        await reader.close()
        #expect(Set(stored) == Set(answered))
    }
}
