/// The read models over one connection, valid inside the read that made it
/// (``ReadConnections/read(_:)``, ``CoreStore/read(_:)``). Only reads: the tables that write are
/// handed out inside a transaction (``CoreTransaction``).
public struct StoreReader {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) {
        self.db = db
    }

    public var orders: OrderReadModel { OrderReadModel(db: db) }
    public var orderViews: OrderViewReader { OrderViewReader(db: db) }
    public var catalogue: CatalogueReadModel { CatalogueReadModel(db: db) }
    public var dealers: DealerReadModel { DealerReadModel(db: db) }
    public var books: BookReadModel { BookReadModel(db: db) }
    public var invoices: InvoiceReadModel { InvoiceReadModel(db: db) }
    public var dealerDirectory: DealerDirectory { DealerDirectory(db: db) }
    public var sellThrough: SellThroughReadModel { SellThroughReadModel(db: db) }
    /// Dealers' quantity contracts.
    public var contracts: ContractTable { ContractTable(db: db) }
    /// Dealers' market-development and promotion fund entries.
    public var funds: FundTable { FundTable(db: db) }
    /// Dealers' own stock against their sell-through.
    public var customerStock: CustomerStockReadModel { CustomerStockReadModel(db: db) }
    /// How often dealers' people sign in.
    public var signIns: DealerSignInReadModel { DealerSignInReadModel(db: db) }
    public var masterData: MasterDataReadModel { MasterDataReadModel(db: db) }
    /// Announcements to dealers (R5) and how far they were read.
    public var announcements: AnnouncementReadModel { AnnouncementReadModel(db: db) }
    public var tickets: TicketReadModel { TicketReadModel(db: db) }
    public var activities: ActivityReadModel { ActivityReadModel(db: db) }
    public var risk: RiskReadModel { RiskReadModel(db: db) }
    public var surveys: SurveyReadModel { SurveyReadModel(db: db) }
    public var outboxFeed: OutboxFeed { OutboxFeed(db: db) }
    public var activity: HubActivity { HubActivity(db: db) }
    public var orderDecisions: OrderDecisionReader { OrderDecisionReader(db: db) }
    public var promotionOffers: PromotionOfferReader { PromotionOfferReader(db: db) }
    public var newProducts: NewProductReader { NewProductReader(db: db) }
    public var shipmentsUnderway: ShipmentsUnderway { ShipmentsUnderway(db: db) }
    public var shipmentBoard: ShipmentBoard { ShipmentBoard(db: db) }
    public var coreProgress: CoreProgress { CoreProgress(db: db) }
    /// The figures (R4, R8).
    public var analytics: AnalyticsReadModel { AnalyticsReadModel(db: db) }
    /// The same figures by a plain `GROUP BY` over the raw tables (the benchmark's baseline).
    public var analyticsBaseline: AnalyticsBaseline { AnalyticsBaseline(db: db) }

    /// Asks the database a trivial question: whether it answers.
    public func ping() throws(StoreError) {
        _ = try db.query("SELECT 1")
    }
}
