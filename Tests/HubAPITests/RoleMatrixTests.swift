import Foundation
import HubAPI
import Hummingbird
import HummingbirdTesting
import KafkaTestSupport
import HubContracts
import Kafka
import Testing

/// Every business route against every kind of caller: who is refused (403) and who gets through
/// to the route's own checks. The table is written out here by hand, from the issue's rules, not
/// derived from the code it checks.
@Suite("HTTP API: every route and role")
struct RoleMatrixTests {
    enum Who: String, CaseIterable, Sendable {
        case admin, branchManager, areaManager, productLineManager, salesRep, tier1, tier2, tier1Admin, carrier, system

        var principal: Principal {
            switch self {
            case .admin: APITestHub.admin
            case .branchManager: APITestHub.eastManager
            case .areaManager: APITestHub.shanghaiArea
            case .productLineManager: Principal(subject: "U-PLM", role: .productLineManager, productLines: ["automotive-packaged"])
            case .tier1Admin: Principal(subject: "U-D1-ADMIN", role: .dealer, dealerId: "D1", dealerAdmin: true)
            case .salesRep: APITestHub.rep1
            case .tier1: APITestHub.d1
            case .tier2: APITestHub.d2
            case .carrier: APITestHub.carrier
            case .system: APITestHub.system
            }
        }
    }

    static let staff: Set<Who> = [.admin, .branchManager, .areaManager, .productLineManager, .salesRep]
    static let dealers: Set<Who> = [.tier1, .tier2, .tier1Admin]
    static let everyone = Set(Who.allCases)

    /// (method, path, body, who may call it).
    static let routes: [(HTTPRequest.Method, String, String?, Set<Who>)] = [
        (.get, "/v1/catalogue?dealerId=D1", nil, staff.union(dealers)),
        (.get, "/v1/prices?dealerId=D1", nil, staff.union(dealers)),
        (.get, "/v1/stock?dealerId=D1", nil, staff.union(dealers)),
        (.post, "/v1/orders", #"{"dealerId":"D1","lines":[{"materialId":"M1","quantity":"1"}]}"#, staff.union([.tier1, .tier1Admin])),
        (.get, "/v1/orders", nil, everyone),
        (.get, "/v1/orders/O-0000000000000000", nil, everyone),
        (.get, "/v1/orders/O-0000000000000000/tracking", nil, everyone),
        (.post, "/v1/orders/O-0000000000000000/cancel", #"{"reason":"r"}"#, staff.union(dealers)),
        (.post, "/v1/orders/O-0000000000000000/receipt", "{}", dealers),
        (.post, "/v1/orders/O-0000000000000000/rating", #"{"productQuality":5,"dispatchSpeed":5,"serviceQuality":5}"#, dealers),
        (.get, "/v1/tier2-orders", nil, everyone.subtracting([.carrier])),
        (.get, "/v1/tier2-orders/T2-0000000000000000", nil, everyone),
        (.post, "/v1/tier2-orders", #"{"lines":[{"materialId":"M1","quantity":"1"}]}"#, [.tier2]),
        (.post, "/v1/tier2-orders/T2-0000000000000000/delivery-notes", #"{"lines":[{"materialId":"M1","quantity":"1","unitPrice":"1"}]}"#, dealers),
        (.post, "/v1/tier2-orders/T2-0000000000000000/accept", "{}", dealers),
        (.post, "/v1/tier2-orders/T2-0000000000000000/reject", #"{"reason":"r"}"#, dealers),
        (.post, "/v1/tier2-orders/T2-0000000000000000/cancel", "{}", dealers),
        (.post, "/v1/tier2-orders/T2-0000000000000000/delivery-notes/DN-0000000000000000/receipt", "{}", dealers),
        (.get, "/v1/ledger?dealerId=D1&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", nil, staff.union(dealers)),
        (.get, "/v1/ledger?dealerId=D1&month=2026-11&format=csv", nil, staff.union(dealers)),
        (.post, "/v1/books/entries", "{}", dealers),
        (.get, "/v1/books/entries?dealerId=D1", nil, staff.union(dealers)),
        (.get, "/v1/books/entries/BE-0000000000000000?dealerId=D1", nil, staff.union(dealers)),
        (.get, "/v1/books/stock?dealerId=D1", nil, staff.union(dealers)),
        (.put, "/v1/books/settings", "{}", [.tier1Admin]),
        (.put, "/v1/books/prices", "{}", [.tier1Admin]),
        (.get, "/v1/books/prices?dealerId=D1", nil, staff.union(dealers)),
        (.post, "/v1/carrier/events", #"{"events":[{"eventId":"E","carrierId":"CAR-07","type":"shipment.arrived","shipmentId":"SH-0","time":"2026-12-03 08:40:00"}]}"#, [.carrier]),
        (.post, "/v1/carrier/positions", #"{"positions":[{"vehicleId":"V-0","time":"2026-12-03T00:40:00Z","lat":31.2,"lon":121.5}]}"#, [.carrier]),
        (.post, "/v1/vehicles/V-0/locate", nil, [.carrier]),
        (.post, "/v1/dealer-system/stock-snapshots", #"{"dealerId":"D1","asOf":"2026-11-29 08:00:00","lines":[{"materialId":"M1","onHand":"3"}]}"#, dealers),
        (.post, "/v1/dealer-system/sell-through", #"{"dealerId":"D1","records":[{"recordId":"R1","materialId":"M1","quantity":"2","soldAt":"2026-11-29 10:15:00","customerKind":"end-customer","province":"上海"}]}"#, dealers),
        (.get, "/v1/sell-through", nil, staff.union(dealers).union([.system])),
        (.get, "/v1/dealers", nil, staff.union(dealers).union([.system])),
        (.get, "/v1/dealers/D1", nil, staff.union(dealers).union([.system])),
        (.get, "/v1/dealers/D1/groups", nil, [.admin, .branchManager]),
        (.put, "/v1/dealers/D1/groups", #"{"groupIds":["PG1"]}"#, [.admin, .branchManager]),
        (.get, "/v1/me", nil, everyone),
        (.get, "/v1/users", nil, [.admin, .branchManager, .tier1Admin]),
        (.post, "/v1/users", #"{"login":"matrix.user","displayName":"矩阵","role":"carrier","carrierId":"CAR-99"}"#, [.admin]),
        (.get, "/v1/users/U-0000000000000000", nil, []),
        (.post, "/v1/users/U-0000000000000000/password-reset", nil, []),
        (.get, "/v1/audit", nil, [.admin]),
        (.get, "/v1/announcements", nil, staff.union(dealers)),
        (.post, "/v1/announcements", "{}", [.admin, .branchManager]),
        (.post, "/v1/announcements/audience-preview", "{}", [.admin, .branchManager]),
        (.get, "/v1/announcements/ANN-0000000000000000", nil, staff.union(dealers)),
        (.post, "/v1/announcements/ANN-0000000000000000/withdraw", "{}", [.admin, .branchManager]),
        (.put, "/v1/announcements/ANN-0000000000000000", "{}", [.admin, .branchManager]),
        (.post, "/v1/announcements/ANN-0000000000000000/read", nil, dealers),
        (.post, "/v1/announcements/ANN-0000000000000000/acknowledge", nil, dealers),
        (.get, "/v1/announcements/ANN-0000000000000000/readership", nil, staff),
        (.get, "/v1/surveys", nil, staff.union(dealers)),
        (.post, "/v1/surveys", "{}", [.admin, .branchManager]),
        (.get, "/v1/surveys/SV-0000000000000000", nil, staff.union(dealers)),
        (.post, "/v1/surveys/SV-0000000000000000/responses", #"{"answers":[]}"#, dealers),
        (.get, "/v1/surveys/SV-0000000000000000/response", nil, dealers),
        (.post, "/v1/surveys/SV-0000000000000000/close", nil, [.admin, .branchManager]),
        (.get, "/v1/surveys/SV-0000000000000000/results", nil, staff),
        (.get, "/v1/tickets", nil, staff.union(dealers)),
        (.post, "/v1/tickets", "{}", staff.union(dealers)),
        (.get, "/v1/tickets/figures", nil, staff),
        (.get, "/v1/activities", nil, staff),
        (.post, "/v1/activities", "{}", staff),
        (.get, "/v1/activities/workload", nil, staff),
        (.get, "/v1/activities/performance?salesRepId=R1", nil, staff),
        (.get, "/v1/dealers/at-risk", nil, staff),
        (.get, "/v1/forecasts?by=dealer", nil, staff.union(dealers).union([.system])),
        (.get, "/v1/risk/dealers", nil, staff),
        (.get, "/v1/risk/dealers/D1", nil, staff.union(dealers)),
        (.post, "/v1/risk/dealers/D1/reviews", "{}", [.admin, .branchManager, .areaManager]),
        (.get, "/v1/activities/AC-0000000000000000", nil, staff),
        (.put, "/v1/activities/AC-0000000000000000", "{}", staff),
        (.get, "/v1/tickets/TK-0000000000000000", nil, staff.union(dealers)),
        (.post, "/v1/tickets/TK-0000000000000000/assign", "{}", staff),
        (.post, "/v1/tickets/TK-0000000000000000/messages", #"{"body":"b"}"#, staff.union(dealers)),
        (.post, "/v1/tickets/TK-0000000000000000/close", "{}", staff.union(dealers)),
        (.post, "/v1/tickets/TK-0000000000000000/reopen", #"{"reason":"r"}"#, dealers),
    ]

    /// Each dealer (through its system's credentials) writing each dealer's stock and
    /// sell-through, each carrier each carrier's events: taken exactly on the diagonal.
    @Test("writes, party by party: a dealer's system writes only its own dealer's stock and sell-through, a carrier only its own events")
    func writeMatrix() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let dealers: [(Principal, String)] = [(APITestHub.d1, "D1"), (APITestHub.d2, "D2"), (APITestHub.d3, "D3")]
            for (writer, own) in dealers {
                for (_, target) in dealers {
                    let stock = try await client.call(.post, "/v1/dealer-system/stock-snapshots", as: writer, hub: hub,
                                                      body: #"{"dealerId":"\#(target)","asOf":"2026-11-29 08:00:00","lines":[{"materialId":"M1","onHand":"3"}]}"#)
                    let sold = try await client.call(.post, "/v1/dealer-system/sell-through", as: writer, hub: hub,
                                                     body: #"{"dealerId":"\#(target)","records":[{"recordId":"R-\#(own)-\#(target)","materialId":"M1","quantity":"2","soldAt":"2026-11-29 10:15:00","customerKind":"end-customer","province":"上海"}]}"#)
                    for answer in [stock, sold] {
                        if own == target {
                            #expect(answer.status == .accepted, "\(own) writes its own: \(answer.text)")
                        } else {
                            #expect(answer.status == .unprocessableContent && answer.text.contains("dealerId"), "\(own) writes \(target)'s: \(answer.text)")
                        }
                    }
                }
            }
            let carriers = [("CAR-07", APITestHub.carrier), ("CAR-09", Principal(subject: "CAR-09-platform", role: .carrier, carrierId: "CAR-09"))]
            for (own, writer) in carriers {
                for (target, _) in carriers {
                    let answer = try await client.call(.post, "/v1/carrier/events", as: writer, hub: hub,
                                                       body: #"{"events":[{"eventId":"E-\#(own)-\#(target)","carrierId":"\#(target)","type":"shipment.arrived","shipmentId":"SH-M","time":"2026-12-03 08:40:00"}]}"#)
                    #expect(answer.status == (own == target ? .accepted : .unprocessableContent), "\(own) reports as \(target): \(answer.text)")
                }
            }
        }
    }

    /// Two carriers' trucks, each carrier asking where each truck is: only its own are asked
    /// (`vehicle.locate-requested` on `hub.terminal-commands`, naming the registered terminal);
    /// another's is not found, like one nobody registered.
    @Test("locate this truck now: a carrier asks only about its own vehicles; another's is 404")
    func locateMatrix() async throws {
        let hub = try await APITestHub.shared.value
        let topic = hub.prefix + TopicName.terminalCommands
        let reader = try TestBroker.consumer(topics: [topic])
        let carriers = [("CAR-07", APITestHub.carrier), ("CAR-09", Principal(subject: "CAR-09-platform", role: .carrier, carrierId: "CAR-09"))]
        let vehicles = ["CAR-07": ("V-LOC-07", "013700000007"), "CAR-09": ("V-LOC-09", "00000000013700000009")]
        // As the carrier adapter registers them (the test hub runs no carrier adapter).
        let producer = try TestBroker.producer()
        for (carrier, (vehicle, terminal)) in vehicles {
            let event = CanonicalEvent(id: "REG-\(vehicle)", source: "adapter-carrier", occurredAt: Timestamp(Date()), subject: vehicle,
                                       data: .vehicleRegistered(VehicleRegistered(vehicleId: vehicle, carrierId: carrier, plate: "沪A·\(carrier.suffix(2))001", terminalId: terminal)))
            try await producer.send(KafkaProducerMessage(topic: hub.prefix + TopicName.vehicles, key: Array(vehicle.utf8), value: try event.encoded()))
        }
        try await producer.shutdown()
        try await hub.application().test(.router) { client in
            try await withDeadline(.seconds(60), "the core records both vehicles") {
                while try await hub.rows("SELECT 1 FROM vehicles WHERE vehicle_id IN ('V-LOC-07', 'V-LOC-09')").count < 2 { try await Task.sleep(for: .milliseconds(50)) }
            }
            for (own, asker) in carriers {
                for (target, _) in carriers {
                    let (vehicle, terminal) = try #require(vehicles[target])
                    let answer = try await client.call(.post, "/v1/vehicles/\(vehicle)/locate", as: asker, hub: hub)
                    if own == target {
                        #expect(answer.status == .accepted && answer["terminalId"] as? String == terminal, "\(own) locates its own: \(answer.text)")
                    } else {
                        #expect(answer.status == .notFound, "\(own) locates \(target)'s: \(answer.text)")
                    }
                }
            }
            let unknown = try await client.call(.post, "/v1/vehicles/V-NOBODY/locate", as: APITestHub.carrier, hub: hub)
            #expect(unknown.status == .notFound, "\(unknown.text)")
        }
        let requests = try await TestBroker.collect(2, from: reader).compactMap { message -> VehicleLocateRequested? in
            guard let value = message.value, case .vehicleLocateRequested(let request)? = try? CanonicalEvent.decode(value).data else { return nil }
            return request
        }
        await reader.close()
        #expect(Set(requests.map { "\($0.carrierId)/\($0.vehicleId)/\($0.terminalId)" }) == ["CAR-07/V-LOC-07/013700000007", "CAR-09/V-LOC-09/00000000013700000009"])
        #expect(Set(requests.map(\.requestedBy)) == ["CAR-07-platform", "CAR-09-platform"])
    }

    @Test("refused with 403 exactly where the role may not call the route; never a 5xx; always problem+json when refused")
    func matrix() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            for (method, path, body, allowed) in Self.routes {
                for who in Who.allCases {
                    let answer = try await client.call(method, path, as: who.principal, hub: hub, body: body)
                    #expect(answer.status.code < 500, "\(who) \(method) \(path): \(answer.text)")
                    if allowed.contains(who) {
                        #expect(answer.status != .forbidden && answer.status != .unauthorized, "\(who) may \(method) \(path): \(answer.text)")
                    } else {
                        #expect((answer.status == .forbidden || answer.status == .notFound) && answer.isProblem, "\(who) may not \(method) \(path): \(answer.status) \(answer.text)")
                    }
                }
                let anonymous = try await client.call(method, path, as: nil, hub: hub, body: body)
                #expect(anonymous.status == .unauthorized && anonymous.isProblem, "\(method) \(path) without credentials: \(anonymous.status)")
            }
        }
    }
}
