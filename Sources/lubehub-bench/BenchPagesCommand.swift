import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubAPI
import HubConsole
import HubContracts
import HubCore
import HubServer
import HubStore
import Kafka
import Logging
import NIOCore
import ServiceLifecycle

/// `lubehub-bench pages`: the console's page budget. A fresh SQLite hub in this process gets a
/// branch of `--dealers` dealers, `--dealer-orders` orders of one of them and `--open-orders`
/// open orders in all (applied through the core's own rules), `--trucks` of them on a truck on its
/// way with a recent track (the dealer's 50 newest among them: their pages have the truck on the
/// map), and the console and API on one server. Each page is then asked for `--requests` times, one after another, as a signed-in
/// dealer or branch manager: its server time (the page's `Server-Timing`: session, reads,
/// rendering), its latency at the client and its size. The baseline, in the same run, is the JSON
/// API's answer to the same question (`GET /v1/orders?limit=50` with the same session).
/// Targets: server time p99 ≤ 50 ms, ≤ 200 KB a page.
struct BenchPagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "The console's page budget: server time p99 and bytes of the main pages vs. the JSON API's same read."
    )

    @Option(help: "Orders of the dealer whose pages are measured.") var dealerOrders = 1_000
    @Option(help: "Open orders in the branch, the dealer's included (the branch manager's board).") var openOrders = 5_000
    @Option(help: "Dealers in the branch.") var dealers = 200
    @Option(help: "Open orders on a truck on its way (the dealer's 50 newest first), each truck with a track.") var trucks = 1_000
    @Option(help: "Fixes in each truck's recent track.") var trackFixes = 60
    @Option(help: "Requests per page.") var requests = 300
    @Option(help: "The port the in-process server listens on.") var port = 18_182
    @Option(help: "Folder for the benchmark's SQLite file (removed afterwards).") var workDirectory = NSTemporaryDirectory()
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        guard dealerOrders <= openOrders, dealers >= 1, dealerOrders >= 100, (50...openOrders).contains(trucks), trackFixes >= 1 else {
            throw ValidationError("--dealer-orders from 100 up to --open-orders; --dealers at least 1; --trucks from 50 up to --open-orders; --track-fixes at least 1")
        }
        var report = BenchReport(bench: "pages")
        report.config = [("dealer_orders", "\(dealerOrders)"), ("open_orders", "\(openOrders)"), ("dealers", "\(dealers)"),
                         ("trucks", "\(trucks)"), ("track_fixes", "\(trackFixes)"),
                         ("requests_per_page", "\(requests)"), ("store", "sqlite"), ("targets", "server p99 <= 50 ms, <= 200 KB")]
        let path = (workDirectory as NSString).appendingPathComponent("lubehub-bench-pages-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm", ".secret"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let location = DatabaseLocation(parsing: path)
        let orderIds = try await seed(location)
        try await seedTrucks(location, orderIds: orderIds)

        var api = HubConfiguration.APISection()
        api.secretFile = path + ".secret"
        api.passwordCostLog2 = 10
        api.port = port
        let producer = try KafkaProducer(configuration: .init(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "bench-pages")))
        let services = try APIServices.make(api, database: path, catalogue: TopicCatalogue(topics: [], common: .object([:])), producer: producer)
        guard let accounts = services.accounts else { throw ValidationError("the API was assembled without accounts") }
        for (login, role, dealerId, branchId) in [("bench.dealer", "dealer", "D-BENCH-0000", nil), ("bench.manager", "branch-manager", nil, "BR-BENCH")] as [(String, String, String?, String?)] {
            let hash = try await accounts.hasher.hash("bench password 2026")
            _ = try await accounts.store.create(UserRecord(userId: "U-" + login, login: login, displayName: login, role: role, dealerId: dealerId, branchId: branchId),
                                                passwordHash: hash, by: ChangeActor(id: "bench", source: "cli"), now: Timestamp(Date()))
        }
        let console = Console(services: services, templates: try ConsoleTemplates())
        let server = APIServer.application(host: "127.0.0.1", port: port, readiness: [], metrics: { "" }, services: services, modules: [console],
                                           logger: Logger(label: "bench-pages", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: Logger(label: "bench-pages")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let base = "http://127.0.0.1:\(port)"
        try await InProcessServer.waitUntilAnswering(http, base)
        let dealer = try await signIn(http, base, "bench.dealer")
        let manager = try await signIn(http, base, "bench.manager")

        let pages: [(name: String, who: String, path: (Int) -> String)] = [
            ("api_orders_json", dealer, { _ in "/v1/orders?limit=50" }),
            ("dealer_orders", dealer, { _ in "/orders" }),
            // The dealer's newest 50 orders are on their way (the truck and its track on the map); the 50 before them are not.
            ("dealer_order_truck_page", dealer, { "/orders/" + orderIds[$0 % 50] }),
            ("dealer_order_page", dealer, { "/orders/" + orderIds[50 + $0 % 50] }),
            ("dealer_home", dealer, { _ in "/" }),
            ("staff_board", manager, { _ in "/" }),
            ("staff_orders", manager, { _ in "/orders" }),
            ("staff_trucks", manager, { _ in "/shipments" }),
            ("staff_truck_positions_json", manager, { _ in "/shipments/positions" }),
        ]
        for page in pages {
            progress("\(page.name): \(requests) requests")
            let server = LatencyRecorder(), client = LatencyRecorder()
            var bytes = 0
            for number in -10..<requests {
                var request = HTTPClientRequest(url: base + page.path(max(number, 0)))
                request.headers.add(name: "Cookie", value: page.who)
                let start = ContinuousClock.now
                let answer = try await http.execute(request, timeout: .seconds(30))
                let body = try await answer.body.collect(upTo: 16 << 20)
                guard answer.status == .ok else { throw ValidationError("\(page.name) answered \(answer.status): \(String(buffer: body).prefix(300))") }
                guard number >= 0 else { continue }  // warm-up
                client.record(.now - start)
                bytes = body.readableBytes
                if let timing = answer.headers["server-timing"].first, let duration = timing.split(separator: "=").last.flatMap({ Double($0) }) {
                    server.record(.microseconds(Int64(duration * 1000)))
                }
            }
            if server.count > 0 {
                report.results.append(("\(page.name)_server_p50", .init(value: server.milliseconds(atPercentile: 50), unit: "ms")))
                report.results.append(("\(page.name)_server_p99", .init(value: server.milliseconds(atPercentile: 99), unit: "ms")))
            }
            report.results.append(("\(page.name)_client_p99", .init(value: client.milliseconds(atPercentile: 99), unit: "ms")))
            report.results.append(("\(page.name)_bytes", .init(value: Double(bytes) / 1024, unit: "KB")))
        }
        for asset in ["/assets/console.css", "/assets/console.js"] {
            let answer = try await http.execute(HTTPClientRequest(url: base + asset), timeout: .seconds(10))
            let body = try await answer.body.collect(upTo: 1 << 20)
            report.results.append(("asset_\(asset.split(separator: "/").last ?? "")_bytes", .init(value: Double(body.readableBytes) / 1024, unit: "KB")))
        }
        try await http.shutdown()
        running.cancel()
        report.ratio("dealer_orders_client_p99", "api_orders_json_client_p99")
        report.ratio("staff_board_client_p99", "api_orders_json_client_p99")
        report.ratio("dealer_order_truck_page_client_p99", "api_orders_json_client_p99")
        report.ratio("staff_trucks_client_p99", "api_orders_json_client_p99")
        print(json ? report.json : report.table)
    }

    /// The branch, its master data and its orders, through the core's rules (one transaction per event).
    func seed(_ location: DatabaseLocation) async throws -> [String] {
        var seeder = try CoreSeeder(location, source: "bench", topic: "bench")
        func apply(_ data: EventData, _ subject: String) async throws { try await seeder.apply(data, subject) }
        let unlimited = Money(amount: DecimalNumber("999999999999")!)
        let dealerIds = (0..<dealers).map(Self.dealerId)
        progress("seeding \(dealers) dealers, their permission group, 10 materials with prices and stock")
        for (index, dealerId) in dealerIds.enumerated() {
            try await apply(.dealerUpserted(DealerUpserted(dealerId: dealerId, name: "压测经销商 \(index)", tier: .tier1, branchId: "BR-BENCH", region: Region(province: "上海"),
                                                           productLines: [], permissionGroupIds: ["PG-BENCH"], creditLimit: unlimited, status: .active)), dealerId)
        }
        try await apply(.permissionGroupUpserted(PermissionGroupUpserted(groupId: "PG-BENCH", name: "压测组", dealerIds: dealerIds,
                                                                         catalogue: .init(productLines: [.automotivePackaged], materialIds: []),
                                                                         priceListId: "PL-BENCH", stockLocations: [.init(warehouseId: "WH-BENCH")])), "PG-BENCH")
        let materials = (1...10).map { "M-BENCH-\($0)" }
        for material in materials {
            try await apply(.materialUpserted(MaterialUpserted(materialId: material, name: "压测机油 \(material)", productLine: .automotivePackaged, productLineCode: "10",
                                                               category: "engine-oil", grade: "SN 5W-30", packageSize: .init(value: DecimalNumber("4")!, unit: "L"),
                                                               unitOfMeasure: "EA", status: "active")), material)
            try await apply(.stockSnapshot(StockSnapshot(warehouseId: "WH-BENCH", materialId: material, onHand: DecimalNumber("999999999")!, asOf: Timestamp(Date()))),
                            "WH-BENCH:" + material)
        }
        try await apply(.priceListUpserted(PriceListUpserted(priceListId: "PL-BENCH", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
                                                             prices: materials.map { .init(materialId: $0, unitPrice: DecimalNumber("168.00")!) })), "PL-BENCH")
        try await apply(.warehouseUpserted(WarehouseUpserted(warehouseId: "WH-BENCH", name: "压测仓", plantId: "P-BENCH", region: Region(province: "上海"), stockLocations: [])),
                        "WH-BENCH")
        var orderIds: [String] = []
        let started = ContinuousClock.now
        for number in 0..<openOrders {
            let dealerId = dealer(ofOrder: number)
            let orderId = String(format: "O-BENCH%09d", number)
            let lines = (1...3).map { OrderLine(lineNo: $0, materialId: materials[(number + $0) % materials.count], quantity: DecimalNumber("\(1 + number % 40)")!, kind: .spot) }
            try await apply(.orderSubmit(OrderSubmission(orderId: orderId, dealerId: dealerId, lines: lines, submittedBy: "bench", channel: .api)), orderId)
            if dealerId == dealerIds[0] { orderIds.append(orderId) }
            if (number + 1) % 1_000 == 0 { progress("orders applied: \(number + 1) of \(openOrders) (\(Int((ContinuousClock.now - started) / .seconds(1))) s)") }
        }
        try await FigureFolder(store: seeder.store).fold()  // as the running core's folder would have
        return orderIds.reversed()
    }

    /// `trucks` orders on their way — the dealer's newest 50 first, then others of the branch — each
    /// on a shipment of its own with a registered truck, its driver, dispatched two hours ago, and a
    /// track of `trackFixes` fixes a minute apart ending now (through the position store, as the
    /// positions' consumer writes them).
    func seedTrucks(_ location: DatabaseLocation, orderIds dealersNewest: [String]) async throws {
        var seeder = try CoreSeeder(location, source: "adapter-erp", topic: "bench-trucks")
        func apply(_ data: EventData, _ subject: String) async throws { try await seeder.apply(data, subject) }
        let positions = try PositionStore(location)
        let others = (dealerOrders..<openOrders).map { (String(format: "O-BENCH%09d", $0), dealer(ofOrder: $0)) }
        let carried = Array((dealersNewest.prefix(50).map { ($0, Self.dealerId(0)) } + others).prefix(trucks))
        progress("seeding \(carried.count) trucks on their way, \(trackFixes) fixes each")
        let now = Date()
        var fixes: [IdentifiedFix] = []
        for (number, (orderId, dealerId)) in carried.enumerated() {
            let vehicleId = String(format: "V-BENCH-%05d", number), shipmentId = String(format: "SH-BENCH-%05d", number)
            let plate = String(format: "沪B·%05d", number)
            try await apply(.vehicleRegistered(VehicleRegistered(vehicleId: vehicleId, carrierId: "CAR-BENCH", plate: plate, terminalId: String(format: "0139%08d", number))), vehicleId)
            try await apply(.shipmentCreated(ShipmentCreated(shipmentId: shipmentId, carrierId: "CAR-BENCH", orderIds: [orderId], deliveryNumber: String(format: "008%07d", number),
                                                             originWarehouseId: "WH-BENCH", destination: .init(dealerId: dealerId, region: Region(province: "上海"),
                                                                                                                position: GeoPosition(lat: 31.2, lon: 121.5)))), shipmentId)
            try await apply(.shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: shipmentId, vehicleId: vehicleId, plate: plate, driverName: "司机\(number)",
                                                                             driverPhone: String(format: "138%08d", number))), shipmentId)
            try await apply(.shipmentDispatched(ShipmentDispatched(shipmentId: shipmentId, dispatchedAt: Timestamp(now.addingTimeInterval(-7_200)))), shipmentId)
            // Trucks spread over eastern China, each driving east at about 60 km/h.
            let (startLat, startLon) = (28.0 + Double(number % 70) * 0.1, 114.0 + Double(number / 70 % 50) * 0.1)
            for fix in 0..<trackFixes {
                let at = now.addingTimeInterval(Double(fix - trackFixes) * 60)
                fixes.append(IdentifiedFix(eventId: "bench-fix-\(number)-\(fix)", fix: VehicleFix(vehicleId: vehicleId, fixAt: Timestamp(at), lat: startLat, lon: startLon + Double(fix) * 0.01,
                                                                                                     speedKmh: 60, heading: 90, source: .jt808, carrierId: "CAR-BENCH")))
            }
            if fixes.count >= 5_000 {
                try await positions.apply(fixes, consumed: [], group: "bench")
                fixes.removeAll(keepingCapacity: true)
            }
            if (number + 1) % 250 == 0 { progress("trucks seeded: \(number + 1) of \(carried.count)") }
        }
        try await positions.apply(fixes, consumed: [], group: "bench")
    }

    static func dealerId(_ number: Int) -> String { String(format: "D-BENCH-%04d", number) }

    /// Whose order number `number` is: the measured dealer's first `dealerOrders`, then the branch's others in turn.
    func dealer(ofOrder number: Int) -> String {
        number < dealerOrders ? Self.dealerId(0) : Self.dealerId(1 + number % max(dealers - 1, 1) % dealers)
    }

    func signIn(_ http: HTTPClient, _ base: String, _ login: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/v1/session")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"login":"\#(login)","password":"bench password 2026"}"#))
        let answer = try await http.execute(request, timeout: .seconds(30))
        guard answer.status == .ok, let cookie = answer.headers["set-cookie"].first?.split(separator: ";").first else {
            throw ValidationError("sign-in of \(login) answered \(answer.status)")
        }
        return String(cookie)
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench pages] \(text)\n".utf8))
    }
}

/// Applies events through the core's own rules, one transaction each: how the bench lays down its
/// company (as the core would from the topics, without them).
struct CoreSeeder {
    let store: CoreStore
    let rules = CoreRules()
    let source: String
    let topic: String
    var offset: Int64 = 0

    init(_ location: DatabaseLocation, source: String, topic: String, commits: CommitSignal? = nil) throws {
        store = try CoreStore(location, commits: commits)
        (self.source, self.topic) = (source, topic)
    }

    mutating func apply(_ data: EventData, _ subject: String) async throws {
        offset += 1
        let event = CanonicalEvent(id: "\(topic)-\(offset)", source: source, occurredAt: Timestamp(Date()), subject: subject, data: data)
        let position = EventSource(group: "bench", topic: topic, partition: 0, offset: offset)
        let rules = rules
        let outcome = try await store.apply(eventId: event.id, source: position) { tables throws(StoreError) in try rules.apply(event, source: position, in: tables) }
        guard outcome == .applied else { throw ValidationError("seeding \(event.type) \(subject): \(outcome)") }
    }
}
