import Foundation
import HubContracts
import Testing

@Suite("canonical events in Swift")
struct CanonicalEventTests {
    let catalogue = CatalogueFixture.catalogue

    @Test("every canonical example round-trips through the Swift types to equivalent JSON")
    func roundTrip() throws {
        var checked = 0
        for topic in catalogue.topics where topic.name.hasPrefix("hub.") && topic.isJSON {
            for example in topic.examples {
                let original = try #require(example.value)
                let event = try CanonicalEvent.decode(example.bytes)
                #expect(event.kind != nil, "\(topic.name) / \(example.name): \(event.type) has a Swift type")
                #expect(event.type == original["type"]?.stringValue)
                let again = try event.json()
                #expect(again.isEquivalent(to: original), "\(topic.name) / \(example.name):\n\(again)\n\(original)")
                #expect(catalogue.validate(topic: topic, json: again).isEmpty, "re-encoded \(topic.name) / \(example.name) still validates")
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    @Test("the event kinds and the catalogue agree both ways: every type a topic lists is a kind that travels on that topic, and every kind is listed by its topic")
    func kindsMatchTheCatalogue() throws {
        for topic in catalogue.topics {
            for type in topic.eventTypes {
                let kind = try #require(EventKind(rawValue: type), "\(topic.name) lists \(type), which is no EventKind")
                #expect(kind.topic == topic.name, "\(type) is on \(topic.name) in the catalogue, on \(kind.topic) in EventKind")
            }
        }
        for kind in EventKind.allCases {
            let topic = try #require(catalogue[kind.topic], "\(kind): its topic \(kind.topic) is not in the catalogue")
            #expect(topic.eventTypes.contains(kind.type), "\(kind.topic) does not list \(kind.type)")
        }
    }

    @Test("every topic name the code uses is in the catalogue, and every catalogue topic has its name in TopicName")
    func topicNamesMatchTheCatalogue() {
        #expect(Set(TopicName.all) == Set(catalogue.topics.map(\.name)))
        #expect(TopicName.all.count == Set(TopicName.all).count, "no name twice")
    }

    @Test("typed values: decimals stay decimal, timestamps keep their text")
    func typedValues() throws {
        let event = try CanonicalEvent.decode(CatalogueFixture.catalogue["hub.orders.events"]!.examples[0].bytes)
        let accepted = try #require(event.data.payload(as: OrderAccepted.self))
        #expect(accepted.total.amount == DecimalNumber("45360.00"))
        #expect(accepted.total.amount.text == "45360.00")
        #expect(accepted.lines.map(\.amount.value).reduce(0, +) == accepted.total.amount.value)
        #expect(accepted.lines[1].kind == .madeToOrder)
        #expect(event.occurredAt.text == "2026-11-29T02:15:00Z")
        #expect(DecimalNumber("12.5e3") == nil)
        #expect(DecimalNumber("0.1")!.value + DecimalNumber("0.2")!.value == DecimalNumber("0.3")!.value)
    }

    @Test("a decimal's value is the one Foundation's scanner reads from its text; anything but a plain decimal is refused")
    func decimalValues() {
        var random = SplitMix(seed: 168)
        var texts = ["0", "-0", "0.000000", "-0.5", "168.00", "999999999999999", "999999999999999.999999", "-999999999999999.999999",
                     "1234567890123.123456", "000000000000001.5"]
        for _ in 0..<5_000 {
            let whole = String(random.next() % 1_000_000_000_000_000).prefix(Int(1 + random.next() % 15))
            let fraction = String(random.next()).prefix(Int(random.next() % 7))
            texts.append((random.next() % 3 == 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction))
        }
        for text in texts {
            let scanned = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
            let number = DecimalNumber(text)
            #expect(number != nil && number?.text == text, "\(text)")
            #expect(number?.value == scanned && number?.value.description == scanned?.description, "\(text)")
            #expect(number?.hashValue == scanned.map { DecimalNumber($0).hashValue }, "\(text)")
        }
        for refused in ["", "-", ".5", "5.", "1.2.3", "+1", " 1", "1 ", "1e3", "1,5", "١٢", "1.1234567", "1234567890123456", "0000000000000001.5", "0x10", "1_000"] {
            #expect(DecimalNumber(refused) == nil, "\(refused)")
        }
    }

    @Test("values added later are tolerated: an unknown enum value and an unknown event type decode and pass through")
    func forwardCompatible() throws {
        let future = """
        {"id":"e1","type":"order.accepted","source":"core","occurredAt":"2026-11-29T02:15:00Z","subject":"O1","schemaVersion":2,
         "data":{"orderId":"O1","dealerId":"D1","total":{"amount":"1.00","currency":"CNY"},
                 "lines":[{"lineNo":1,"materialId":"M1","quantity":"1","kind":"consignment","unitPrice":"1.00","amount":"1.00","reservations":[]}]}}
        """
        let event = try CanonicalEvent.decode(Array(future.utf8))
        let accepted = try #require(event.data.payload(as: OrderAccepted.self))
        #expect(accepted.lines[0].kind.rawValue == "consignment")

        let unknownType = """
        {"id":"e2","type":"order.teleported","source":"core","occurredAt":"2026-11-29T02:15:00Z","subject":"O1","schemaVersion":1,"data":{"where":"月球","n":1.50}}
        """
        let unknown = try CanonicalEvent.decode(Array(unknownType.utf8))
        #expect(unknown.kind == nil && unknown.type == "order.teleported")
        #expect(try unknown.json().isEquivalent(to: JSONParser.parse(unknownType)))
    }

    @Test("decoding says which field is wrong", arguments: [
        ("{\"id\":\"e\",\"type\":\"vehicle.position\",\"source\":\"s\",\"occurredAt\":\"2026-11-29T02:15:00Z\",\"subject\":\"V\",\"schemaVersion\":1,\"data\":{\"vehicleId\":\"V\"}}", "fixAt: required field missing"),
        ("{\"id\":\"e\",\"type\":\"order.rejected\",\"source\":\"s\",\"occurredAt\":\"2026-11-29T02:15:00Z\",\"subject\":\"O\",\"schemaVersion\":1,\"data\":{\"orderId\":\"O\",\"dealerId\":\"D\",\"reasons\":[{\"code\":\"other\",\"message\":5}]}}", "reasons[0].message"),
        ("{\"id\":\"e\",\"type\":\"inventory.moved\",\"source\":\"s\",\"occurredAt\":\"2026-11-29T02:15:00Z\",\"subject\":\"W:M\",\"schemaVersion\":1,\"data\":{\"movementId\":\"m\",\"warehouseId\":\"W\",\"materialId\":\"M\",\"quantity\":-1.5,\"kind\":\"issue\"}}", "decimals are written as strings"),
        ("{\"id\":\"e\",\"type\":\"order.view\",\"source\":\"s\",\"occurredAt\":\"2026-11-29 02:15:00\",\"subject\":\"O\",\"schemaVersion\":1,\"data\":{}}", "occurredAt"),
        // Found by fuzz-json-schema: an integer too large for Int trapped instead of being refused.
        ("{\"id\":\"e\",\"type\":\"order.view\",\"source\":\"s\",\"occurredAt\":\"2026-11-29T02:15:00Z\",\"subject\":\"O\",\"schemaVersion\":13333333333333333333333333333333333,\"data\":{}}", "schemaVersion: an integer from 1 to 1000"),
        ("{\"id\":\"e\",\"type\":\"order.view\",\"source\":\"s\",\"occurredAt\":\"2026-11-29T02:15:00Z\",\"subject\":\"O\",\"schemaVersion\":-1,\"data\":{}}", "schemaVersion"),
    ])
    func decodingErrors(json: String, expected: String) {
        #expect {
            _ = try CanonicalEvent.decode(Array(json.utf8))
        } throws: { error in
            String(describing: error).contains(expected)
        }
    }
}
