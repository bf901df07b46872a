import HubContracts
import Testing

/// Wrong messages per canonical topic, each rejected with the field and the reason.
@Suite("wrong messages are rejected with the right reason")
struct RejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var topic: String
        var what: String
        var path: [String]
        var value: JSONValue?
        var expectedPath: String
        var expectedReason: String
        var example = 0
        var testDescription: String { "\(topic): \(what)" }
    }

    static let long = JSONValue.string(String(repeating: "润", count: 201))

    static let cases: [Case] = [
        // hub.orders.commands
        Case(topic: "hub.orders.commands", what: "missing dealer", path: ["data", "dealerId"], value: nil, expectedPath: "data.dealerId", expectedReason: "required field missing"),
        Case(topic: "hub.orders.commands", what: "lines not an array", path: ["data", "lines"], value: .string("x"), expectedPath: "data.lines", expectedReason: "expected array, got string"),
        Case(topic: "hub.orders.commands", what: "quantity as a JSON number", path: ["data", "lines"], value: .array([.object(["lineNo": .number("1"), "materialId": .string("M1"), "quantity": .number("12.5"), "kind": .string("spot")])]), expectedPath: "data.lines[0].quantity", expectedReason: "written as strings"),
        Case(topic: "hub.orders.commands", what: "negative quantity", path: ["data", "lines"], value: .array([.object(["lineNo": .number("1"), "materialId": .string("M1"), "quantity": .string("-3"), "kind": .string("spot")])]), expectedPath: "data.lines[0].quantity", expectedReason: "decimal > 0"),
        Case(topic: "hub.orders.commands", what: "unknown line kind", path: ["data", "lines"], value: .array([.object(["lineNo": .number("1"), "materialId": .string("M1"), "quantity": .string("3"), "kind": .string("consignment")])]), expectedPath: "data.lines[0].kind", expectedReason: "unknown value \"consignment\""),
        Case(topic: "hub.orders.commands", what: "note too long", path: ["data", "note"], value: .string(String(repeating: "x", count: 2001)), expectedPath: "data.note", expectedReason: "too long: 2001 characters, at most 2000"),
        Case(topic: "hub.orders.commands", what: "unknown command type", path: ["type"], value: .string("order.teleport"), expectedPath: "type", expectedReason: "unknown value \"order.teleport\""),
        Case(topic: "hub.orders.commands", what: "rating out of range", path: ["data", "dispatchSpeed"], value: .number("6"), expectedPath: "data.dispatchSpeed", expectedReason: "above the maximum 5", example: 1),
        Case(topic: "hub.orders.commands", what: "unknown field", path: ["data", "discount"], value: .string("10%"), expectedPath: "data.discount", expectedReason: "unknown field"),
        // envelope
        Case(topic: "hub.orders.events", what: "local time instead of UTC", path: ["occurredAt"], value: .string("2026-11-29T10:15:00+08:00"), expectedPath: "occurredAt", expectedReason: "not valid"),
        Case(topic: "hub.orders.events", what: "impossible date", path: ["occurredAt"], value: .string("2026-02-30T10:15:00Z"), expectedPath: "occurredAt", expectedReason: "not an RFC 3339 date-time"),
        Case(topic: "hub.orders.events", what: "missing id", path: ["id"], value: nil, expectedPath: "id", expectedReason: "required field missing"),
        Case(topic: "hub.orders.events", what: "schema version as text", path: ["schemaVersion"], value: .string("1"), expectedPath: "schemaVersion", expectedReason: "expected integer, got string"),
        // orders.events
        Case(topic: "hub.orders.events", what: "money as a float", path: ["data", "total", "amount"], value: .number("45360.5"), expectedPath: "data.total.amount", expectedReason: "written as strings"),
        Case(topic: "hub.orders.events", what: "currency lower case", path: ["data", "total", "currency"], value: .string("cny"), expectedPath: "data.total.currency", expectedReason: "ISO 4217"),
        Case(topic: "hub.orders.events", what: "unknown rejection code", path: ["data", "reasons"], value: .array([.object(["code": .string("bad-luck"), "message": .string("x")])]), expectedPath: "data.reasons[0].code", expectedReason: "unknown value \"bad-luck\"", example: 1),
        Case(topic: "hub.orders.events", what: "rejected with no reasons", path: ["data", "reasons"], value: .array([]), expectedPath: "data.reasons", expectedReason: "at least 1 item required", example: 1),
        // master data
        Case(topic: "hub.dealers", what: "unknown tier", path: ["data", "tier"], value: .string("tier3"), expectedPath: "data.tier", expectedReason: "unknown value \"tier3\""),
        Case(topic: "hub.dealers", what: "name too long", path: ["data", "name"], value: long, expectedPath: "data.name", expectedReason: "too long: 201 characters, at most 120"),
        Case(topic: "hub.dealers", what: "credit limit as a number", path: ["data", "creditLimit", "amount"], value: .number("2500000"), expectedPath: "data.creditLimit.amount", expectedReason: "written as strings"),
        Case(topic: "hub.dealers", what: "missing region", path: ["data", "region"], value: nil, expectedPath: "data.region", expectedReason: "required field missing"),
        Case(topic: "hub.materials", what: "unknown product line", path: ["data", "productLine"], value: .string("marine"), expectedPath: "data.productLine", expectedReason: "unknown value \"marine\""),
        Case(topic: "hub.materials", what: "zero package size", path: ["data", "packageSize", "value"], value: .string("0"), expectedPath: "data.packageSize.value", expectedReason: "decimal > 0"),
        Case(topic: "hub.price-lists", what: "negative price", path: ["data", "prices"], value: .array([.object(["materialId": .string("M1"), "unitPrice": .string("-1.00")])]), expectedPath: "data.prices[0].unitPrice", expectedReason: "decimal >= 0"),
        Case(topic: "hub.permission-groups", what: "dealer list not an array", path: ["data", "dealerIds"], value: .string("D1"), expectedPath: "data.dealerIds", expectedReason: "expected array"),
        Case(topic: "hub.warehouses", what: "latitude out of range", path: ["data", "position", "lat"], value: .number("91"), expectedPath: "data.position.lat", expectedReason: "above the maximum 90"),
        // tier-2, delivery notes, inventory
        Case(topic: "hub.tier2-orders", what: "missing supplier", path: ["data", "supplierDealerId"], value: nil, expectedPath: "data.supplierDealerId", expectedReason: "required field missing"),
        Case(topic: "hub.delivery-notes", what: "negative quantity", path: ["data", "lines"], value: .array([.object(["materialId": .string("M1"), "quantity": .string("-1"), "unitPrice": .string("1")])]), expectedPath: "data.lines[0].quantity", expectedReason: "decimal > 0"),
        Case(topic: "hub.inventory.movements", what: "unknown movement kind", path: ["data", "kind"], value: .string("theft"), expectedPath: "data.kind", expectedReason: "unknown value \"theft\""),
        Case(topic: "hub.inventory.movements", what: "quantity as a float", path: ["data", "quantity"], value: .number("-120.0"), expectedPath: "data.quantity", expectedReason: "written as strings"),
        Case(topic: "hub.inventory.snapshots", what: "missing asOf", path: ["data", "asOf"], value: nil, expectedPath: "data.asOf", expectedReason: "required field missing"),
        Case(topic: "hub.sell-through", what: "unknown customer kind", path: ["data", "customer", "kind"], value: .string("friend"), expectedPath: "data.customer.kind", expectedReason: "unknown value \"friend\""),
        // shipments and vehicles
        Case(topic: "hub.shipments", what: "bad phone", path: ["data", "driverPhone"], value: .string("call me"), expectedPath: "data.driverPhone", expectedReason: "telephone"),
        Case(topic: "hub.shipments", what: "plate too long", path: ["data", "plate"], value: .string(String(repeating: "沪", count: 17)), expectedPath: "data.plate", expectedReason: "at most 16"),
        Case(topic: "hub.vehicles", what: "terminal id with letters", path: ["data", "terminalId"], value: .string("ABC123456789"), expectedPath: "data.terminalId", expectedReason: "JT/T 808 terminal phone number"),
        Case(topic: "hub.vehicles.positions", what: "negative speed", path: ["data", "speedKmh"], value: .number("-1"), expectedPath: "data.speedKmh", expectedReason: "below the minimum 0"),
        Case(topic: "hub.vehicles.positions", what: "heading 360", path: ["data", "heading"], value: .number("360"), expectedPath: "data.heading", expectedReason: "above the maximum 359"),
        Case(topic: "hub.vehicles.positions", what: "heading as a fraction", path: ["data", "heading"], value: .number("12.5"), expectedPath: "data.heading", expectedReason: "expected integer, got number"),
        Case(topic: "hub.vehicles.positions", what: "unknown source", path: ["data", "source"], value: .string("pigeon"), expectedPath: "data.source", expectedReason: "unknown value \"pigeon\""),
        // quick-lube, authenticity, updates
        Case(topic: "hub.service-records", what: "negative litres", path: ["data", "quantity"], value: .string("-4.2"), expectedPath: "data.quantity", expectedReason: "decimal > 0"),
        Case(topic: "hub.service-records", what: "bad VIN", path: ["data", "vehicle", "vin"], value: .string("LSVAU2180N218345I"), expectedPath: "data.vehicle.vin", expectedReason: "not valid"),
        Case(topic: "hub.authenticity", what: "unknown scan result", path: ["data", "result"], value: .string("maybe"), expectedPath: "data.result", expectedReason: "unknown value \"maybe\""),
        Case(topic: "hub.orders.updates", what: "unknown status", path: ["data", "status"], value: .string("lost"), expectedPath: "data.status", expectedReason: "unknown value \"lost\""),
        Case(topic: "hub.orders.updates", what: "late flag as text", path: ["data", "shipments"], value: .array([.object(["shipmentId": .string("S1"), "status": .string("dispatched"), "late": .string("no")])]), expectedPath: "data.shipments[0].late", expectedReason: "expected boolean, got string"),
    ]

    @Test("rejected with the field and the reason", arguments: cases)
    func rejected(_ rejection: Case) throws {
        let catalogue = CatalogueFixture.catalogue
        let original = CatalogueFixture.example(rejection.topic, rejection.example)
        #expect(catalogue.validate(topic: rejection.topic, value: Array(original.description.utf8)) == .valid)
        let wrong = original.setting(rejection.path, to: rejection.value)
        let verdict = catalogue.validate(topic: rejection.topic, value: Array(wrong.description.utf8))
        guard case .invalid(let issues) = verdict else {
            Issue.record("\(rejection.testDescription) was accepted")
            return
        }
        #expect(issues.contains { $0.path == rejection.expectedPath && $0.reason.contains(rejection.expectedReason) },
                "expected \(rejection.expectedPath): …\(rejection.expectedReason)…, got \(issues)")
    }

    @Test("bytes that are not JSON, or over the limits, are rejected before the schema")
    func malformed() {
        let catalogue = CatalogueFixture.catalogue
        let cases: [(bytes: [UInt8], reason: String)] = [
            (Array("{\"id\": ".utf8), "unexpected end of input"),
            (Array("{\"a\":1,\"a\":2}".utf8), "duplicate member \"a\""),
            ([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d], "invalid UTF-8"),
            (Array(String(repeating: "[", count: 100).utf8), "nesting deeper than 32"),
            (Array(repeating: 0x20, count: (1 << 20) + 1), "the limit is 1048576"),
        ]
        for (bytes, reason) in cases {
            guard case .invalid(let issues) = catalogue.validate(topic: "hub.orders.commands", value: bytes) else {
                Issue.record("accepted: \(reason)")
                continue
            }
            #expect(issues.first?.reason.contains(reason) == true, "\(issues)")
        }
    }
}

@Suite("input limits")
struct InputLimitTests {
    @Test("strings, arrays, objects and numbers beyond the limits are refused while parsing, saying which limit")
    func limits() {
        let limits = InputLimits(maxMessageBytes: 10_000, maxStringLength: 10, maxArrayCount: 5, maxObjectMembers: 3, maxDepth: 4)
        let cases: [(String, String)] = [
            ("\"" + String(repeating: "油", count: 11) + "\"", "string longer than 10 characters"),
            ("[1,2,3,4,5,6]", "more than 5 items in an array"),
            ("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", "more than 3 members in an object"),
            ("[[[[[1]]]]]", "nesting deeper than 4"),
            (String(repeating: "1", count: 65), "a number longer than 64 characters"),
        ]
        for (text, reason) in cases {
            #expect {
                _ = try JSONParser.parse(text, limits: limits)
            } throws: { error in
                String(describing: error).contains(reason)
            }
        }
        #expect(throws: Never.self) { _ = try JSONParser.parse("\"" + String(repeating: "油", count: 10) + "\"", limits: limits) }
    }

    @Test("JSON edge cases: escapes and surrogate pairs decode; lone surrogates and raw control characters do not")
    func jsonEdges() throws {
        #expect(try JSONParser.parse("\"\\u6da6\\ud83d\\ude9a\\n\"") == .string("润🚚\n"))
        #expect(try JSONParser.parse(" [ -0.5e+3 , true , null ] ") == .array([.number("-0.5e+3"), .bool(true), .null]))
        for bad in ["\"\\ud83d\"", "\"a\u{01}b\"", "[1,]", "01", "{\"a\" 1}", "tru", "\"\\x41\""] {
            #expect(throws: JSONParseError.self, "\(bad)") { _ = try JSONParser.parse(bad) }
        }
    }
}
