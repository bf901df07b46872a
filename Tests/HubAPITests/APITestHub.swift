import Adapters
import Foundation
import HubAPI
import HubContracts
import HubCore
import HubServer
import HubMessaging
@_spi(SQL) import HubStore
import Hummingbird
import Kafka
import KafkaTestSupport
import Logging
import ServiceLifecycle
import Testing
@_spi(SQL) import StoreTestSupport

/// One hub for the API tests: its own topics on the test broker, a SQLite file with a small
/// company in it, and the real core (and the ERP adapter) running on them, deciding the orders the API submits.
///
/// The company: branch BR-EAST with tier-1 dealer D1 (上海, sales rep R1) and its tier-2 dealer
/// D2 (江苏); branch BR-NORTH with tier-1 dealer D3 (北京, rep R2). D1's group PG1 grants the
/// automotive line at PL1 and warehouse WH1; D3's group PG2 grants the industrial line at PL2 and
/// WH2. M1, M2 are automotive (M1 100.00 with 500 on hand at WH1), M3 is industrial (M3 50.00,
/// 300 at WH2).
final class APITestHub: Sendable {
    static let shared = Task { try await APITestHub() }

    static let catalogue: TopicCatalogue = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("topics")
        return try! TopicCatalogue.load(directory: directory)
    }()

    let prefix: String
    let database: DatabaseLocation
    let services: APIServices
    /// Where the API's timers record (the submit's stages).
    let metrics = PrometheusExport()
    static let testSecret: [UInt8] = Array("an api test secret of thirty-two bytes or more".utf8)
    var secret: [UInt8] { Self.testSecret }
    let producer: KafkaProducer
    private let core: ServiceGroup
    /// Signalled by the core at each commit.
    let commits: CommitSignal

    init() async throws {
        let prefix = "test.api.\(UUID().uuidString.prefix(8).lowercased())."
        self.prefix = prefix
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lubehub-api-\(UUID().uuidString).sqlite").path
        database = DatabaseLocation(parsing: path)
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        _ = try await admin.createTopics(Self.catalogue.topics.map { KafkaNewTopic(name: prefix + $0.name, partitions: min($0.partitions, 3)) })

        let store = try CoreStore(database)
        let rules = CoreRules(topics: .init(orderEvents: prefix + "hub.orders.events", orderUpdates: prefix + "hub.orders.updates", audit: prefix + TopicName.audit))
        for (offset, event) in Self.masterData.enumerated() {
            let source = EventSource(group: "seed", topic: "seed", partition: 0, offset: Int64(offset))
            _ = try await store.apply(eventId: event.id, source: source) { tables throws(StoreError) in try rules.apply(event, source: source, in: tables) }
        }

        var settings = CoreSettings(
            database: path, group: "api-test-core-\(UUID().uuidString.prefix(8))", positionsTopic: prefix + "hub.vehicles.positions",
            deadLetterTopic: prefix + "hub.core.dlq",
            eventTopics: CoreSettings.defaults.eventTopics.map { prefix + $0 }, interactiveTopics: CoreSettings.defaults.interactiveTopics.map { prefix + $0 },
            orderEventsTopic: prefix + "hub.orders.events", orderUpdatesTopic: prefix + "hub.orders.updates", maxBatch: 1000, historyRetentionHours: 0,
            holdTimeoutSeconds: 300, etaIntervalSeconds: 0, fetchWaitMilliseconds: 10, auditTopic: prefix + TopicName.audit)
        // A scheduled announcement's live notice within a second of its moment (OrderUpdateStreamTests).
        settings.announcementNoticeIntervalSeconds = 1
        let logger = Logger(label: "api-test-core")
        // The ERP adapter too, on the same topics: the ERP's confirmations arrive as IDocs, as in production;
        // and the dealer-systems adapter: what a dealer's system uploads reaches the core as it does in production.
        let adapters = ["erp", "dealer"].flatMap { name in
            HubAdapters.services(named: name, client: TestBroker.client, catalogue: Self.catalogue, instance: "api-test", topicPrefix: prefix,
                                 logger: Logger(label: "api-test-\(name)")) ?? []
        }
        // As in `lubehub serve`: the API hears of the core's commits in-process.
        let commits = CommitSignal()
        self.commits = commits
        let coreServices = adapters + (try settings.services(client: TestBroker.client.named, commits: commits, logger: logger))
        core = ServiceGroup(configuration: .init(services: coreServices.map { .init(service: $0) }, logger: logger))
        let core = core
        Task { try await core.run() }

        producer = try KafkaProducer(configuration: .init(client: TestBroker.client))
        let apiDatabase = try APIDatabase(database)
        let keys = TokenKeys(hs256Secret: Self.testSecret)
        let apiKeys = APIKeys([APIKeys.digest("carrier-07-key"): Principal(subject: "CAR-07-platform", role: .carrier, carrierId: "CAR-07")])
        services = APIServices(authenticator: Authenticator(keys: keys, apiKeys: apiKeys), database: apiDatabase,
                               commands: CommandPublisher(producer: producer, catalogue: Self.catalogue, topics: .init(prefix: prefix)),
                               watch: OutboxWatch(database: apiDatabase, commits: commits), identifierSecret: Self.testSecret, decisionWait: .seconds(15), keepAlive: .seconds(1),
                               submitTimers: SubmitTimers(factory: metrics.factory),
                               accounts: AccountServices(store: try AccountStore(database, auditTopic: prefix + TopicName.audit),
                                                         hasher: PasswordHasher(cost: .testing), throttle: Self.throttle))
    }

    /// The sign-in throttle of the test hub: the defaults, but the first wait past the free
    /// attempts is 60 s rather than 1 — a test's next attempt comes well within it however slow
    /// the machine is (with 1 s, a loaded CI machine let the attempt through).
    static let throttle = {
        var throttle = SignInThrottle()
        throttle.firstDelaySeconds = 60
        return throttle
    }()

    /// Adds an account with `password` straight into the store (as `lubehub users add` does).
    @discardableResult
    func addUser(_ login: String, password: String, role: Principal.Role, dealerId: String? = nil, dealerAdmin: Bool = false,
                 branchId: String? = nil, salesRepId: String? = nil, hashedBy hasher: PasswordHasher? = nil) async throws -> UserRecord {
        let accounts = try #require(services.accounts)
        let hash = try await (hasher ?? accounts.hasher).hash(password)
        let user = UserRecord(userId: "U-T-" + UUID().uuidString.prefix(12), login: login, displayName: "测试 \(login)", role: role.rawValue,
                              dealerId: dealerId, dealerAdmin: dealerAdmin, branchId: branchId, salesRepId: salesRepId)
        return try await accounts.store.create(user, passwordHash: hash, by: ChangeActor(id: "test", source: "test"), now: Timestamp(Date())).get()
    }

    /// Returns once `condition` holds, looking again after each of the core's commits; false when
    /// it still does not after `timeout`.
    func untilCore(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let generation = commits.generation
            if try await condition() { return true }
            guard ContinuousClock.now < deadline else { return false }
            await commits.wait(since: generation, timeout: .seconds(1))
        }
    }

    func router() -> Router<APIRequestContext> {
        APIServer.router(readiness: [], metrics: { "" }, services: services)
    }

    func application() -> some ApplicationProtocol {
        APIServer.application(host: "127.0.0.1", port: 0, readiness: [], metrics: { "" }, services: services, logger: Logger(label: "api-test"))
    }

    func token(_ principal: Principal, lifetime: TimeInterval = 3600) -> String {
        JSONWebToken.signHS256(JSONWebToken.Claims(principal: principal, issuer: "lubehub", audience: "lubehub-api", issuedAt: Date(), lifetime: lifetime), secret: secret)
    }

    func rows(_ sql: String, _ binds: SQLValue...) async throws -> [SQLRow] {
        try database.read { db throws(StoreError) in try db.query(sql, binds) }
    }

    // MARK: - The company

    static let at = Timestamp(parsing: "2026-11-01T00:00:00Z")!

    static func event(_ id: String, _ subject: String, _ data: EventData) -> CanonicalEvent {
        CanonicalEvent(id: id, source: "test", occurredAt: at, subject: subject, data: data)
    }

    static func money(_ text: String) -> Money { Money(amount: DecimalNumber(text)!) }

    static func material(_ id: String, _ line: ProductLine) -> MaterialUpserted {
        MaterialUpserted(materialId: id, name: "油品 \(id)", productLine: line, productLineCode: "10", category: "engine-oil", grade: "SN 5W-30",
                         packageSize: .init(value: DecimalNumber("4")!, unit: "L"), unitOfMeasure: "EA", status: "active")
    }

    static var masterData: [CanonicalEvent] {
        [
            event("md-d1", "D1", .dealerUpserted(DealerUpserted(dealerId: "D1", name: "上海一级", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                                                                  salesRepId: "R1", productLines: [.init(productLine: .automotivePackaged, customerClass: "A")], permissionGroupIds: ["PG1"], creditLimit: money("1000000.00"), status: .active))),
            event("md-d2", "D2", .dealerUpserted(DealerUpserted(dealerId: "D2", name: "江苏二级", tier: .tier2, parentDealerId: "D1", branchId: "BR-EAST",
                                                                  region: Region(province: "江苏"), productLines: [], permissionGroupIds: [], creditLimit: money("0"), status: .active))),
            event("md-d3", "D3", .dealerUpserted(DealerUpserted(dealerId: "D3", name: "北京一级", tier: .tier1, branchId: "BR-NORTH", region: Region(province: "北京"),
                                                                  salesRepId: "R2", productLines: [.init(productLine: .industrialPackaged, customerClass: "A"), .init(productLine: .automotivePackaged, customerClass: "C")],
                                                                  permissionGroupIds: ["PG2"], creditLimit: money("1000000.00"), status: .active))),
            event("md-pg1", "PG1", .permissionGroupUpserted(PermissionGroupUpserted(groupId: "PG1", name: "华东汽车油", dealerIds: ["D1"],
                                                                                       catalogue: .init(productLines: [.automotivePackaged], materialIds: []),
                                                                                       priceListId: "PL1", stockLocations: [.init(warehouseId: "WH1")]))),
            event("md-pg2", "PG2", .permissionGroupUpserted(PermissionGroupUpserted(groupId: "PG2", name: "华北工业油", dealerIds: ["D3"],
                                                                                       catalogue: .init(productLines: [.industrialPackaged], materialIds: []),
                                                                                       priceListId: "PL2", stockLocations: [.init(warehouseId: "WH2")]))),
            event("md-m1", "M1", .materialUpserted(material("M1", .automotivePackaged))),
            event("md-m2", "M2", .materialUpserted(material("M2", .automotivePackaged))),
            event("md-m3", "M3", .materialUpserted(material("M3", .industrialPackaged))),
            event("md-pl1", "PL1", .priceListUpserted(PriceListUpserted(priceListId: "PL1", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
                                                                           prices: [.init(materialId: "M1", unitPrice: DecimalNumber("100.00")!),
                                                                                    .init(materialId: "M2", unitPrice: DecimalNumber("80.00")!)]))),
            event("md-pl2", "PL2", .priceListUpserted(PriceListUpserted(priceListId: "PL2", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
                                                                           prices: [.init(materialId: "M3", unitPrice: DecimalNumber("50.00")!)]))),
            event("md-wh1", "WH1", .warehouseUpserted(WarehouseUpserted(warehouseId: "WH1", name: "上海仓", plantId: "P1010", region: Region(province: "上海"), stockLocations: []))),
            event("md-wh2", "WH2", .warehouseUpserted(WarehouseUpserted(warehouseId: "WH2", name: "北京仓", plantId: "P1020", region: Region(province: "北京"), stockLocations: []))),
            event("md-s1", "WH1:M1", .stockSnapshot(StockSnapshot(warehouseId: "WH1", materialId: "M1", onHand: DecimalNumber("500")!, asOf: at))),
            event("md-s3", "WH2:M3", .stockSnapshot(StockSnapshot(warehouseId: "WH2", materialId: "M3", onHand: DecimalNumber("300")!, asOf: at))),
        ]
    }

    static let d1 = Principal(subject: "U-D1-01", role: .dealer, dealerId: "D1")
    static let d2 = Principal(subject: "U-D2-01", role: .dealer, dealerId: "D2")
    static let d3 = Principal(subject: "U-D3-01", role: .dealer, dealerId: "D3")
    static let admin = Principal(subject: "U-ADMIN", role: .admin)
    static let eastManager = Principal(subject: "U-BM-EAST", role: .branchManager, branchId: "BR-EAST")
    static let northManager = Principal(subject: "U-BM-NORTH", role: .branchManager, branchId: "BR-NORTH")
    static let shanghaiArea = Principal(subject: "U-AM-SH", role: .areaManager, provinces: ["上海"])
    static let rep1 = Principal(subject: "U-R1", role: .salesRep, salesRepId: "R1")
    static let rep2 = Principal(subject: "U-R2", role: .salesRep, salesRepId: "R2")
    static let system = Principal(subject: "SYS-BI", role: .system)
    static let carrier = Principal(subject: "CAR-07-platform", role: .carrier, carrierId: "CAR-07")
}
