import Foundation
import HubAPI
import HubContracts
import HTTPTypes
import HubMessaging
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Testing

/// One trace across every hop, read off the broker by an independent client (confluent-kafka).
@Suite("a trace across the hub")
struct TraceTests {
    /// The messages of `key` on `topic` as confluent-kafka reads them (at least `count`), with their headers as text.
    static func messages(on topic: String, key: String, count: Int) async throws -> [(value: String, headers: [String: String])] {
        let output = try await ConfluentClient.run(["consume", "--topic", topic, "--key", key, "--count", String(count), "--timeout", "60", "--assign"])
        func text(_ hex: Any?) -> String { String(decoding: ConfluentClient.bytes(ofHex: hex as? String) ?? [], as: UTF8.self) }
        return output.split(separator: "\n").compactMap { line in
            guard let message = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let headers = (message["headers"] as? [[Any]] ?? []).reduce(into: [String: String]()) { headers, pair in
                if let name = pair.first as? String { headers[name] = text(pair.last) }
            }
            return (text(message["value"]), headers)
        }
    }

    @Test("a submit's traceparent reaches its command, its events, the ERP's order document and its update: one trace id, a span of its own at each hop")
    func submitCarriesItsTrace() async throws {
        let hub = try await APITestHub.shared.value
        let parent = try #require(TraceParent("00-\(String(UInt64.random(in: 1...UInt64.max), radix: 16).leftPadded(16))\(String(UInt64.random(in: 1...UInt64.max), radix: 16).leftPadded(16))-00f067aa0ba902b7-01"))
        let orderId = try await hub.application().test(.router) { client in
            let answer = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"3"}]}"#,
                                               headers: [HTTPField.Name("traceparent")!: parent.description])
            #expect(answer.status == .created, "\(answer.text)")
            return try #require(answer["orderId"] as? String)
        }
        // The command, the core's events (submitted, accepted), the ERP adapter's ORDERS05 and the order's view.
        for (topic, count) in [(TopicName.orderCommands, 1), (TopicName.orderEvents, 2), (TopicName.ERP.outboundOrders, 1), (TopicName.orderUpdates, 1)] {
            let messages = try await Self.messages(on: hub.prefix + topic, key: orderId, count: count)
            #expect(messages.count >= count, "\(topic): \(messages.count) messages of \(orderId)")
            for message in messages {
                let trace = try #require(message.headers[MessageHeader.traceParent].flatMap { TraceParent($0) }, "\(topic): no valid traceparent in \(message.headers)")
                #expect(trace.traceID == parent.traceID, "\(topic) carries trace \(trace.traceID), not the request's \(parent.traceID)")
                #expect(trace.spanID != parent.spanID, "\(topic): a span of the hub's own below the caller's")
                #expect(trace.sampled == parent.sampled)
            }
        }
    }

    @Test("without a traceparent the API starts a trace, and the command carries it")
    func submitStartsATrace() async throws {
        let hub = try await APITestHub.shared.value
        let orderId = try await hub.application().test(.router) { client in
            let answer = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M2","quantity":"1","kind":"made-to-order"}]}"#)
            return try #require(answer["orderId"] as? String)
        }
        let commands = try await Self.messages(on: hub.prefix + TopicName.orderCommands, key: orderId, count: 1)
        let command = try #require(commands.first?.headers[MessageHeader.traceParent].flatMap { TraceParent($0) })
        let updates = try await Self.messages(on: hub.prefix + TopicName.orderUpdates, key: orderId, count: 1)
        #expect(updates.allSatisfy { $0.headers[MessageHeader.traceParent].flatMap { TraceParent($0) }?.traceID == command.traceID })
    }
}

extension String {
    /// Zeros before, to `width` characters.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
