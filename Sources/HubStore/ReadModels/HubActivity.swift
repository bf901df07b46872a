public import HubContracts
import HubDomain

/// What the hub did since a moment, counted: what `lubehub simulate` reports at its end.
public struct HubActivityCounts: Sendable {
    public var ordersByStatus: [(status: String, count: Int)] = []
    public var shipmentsByStatus: [(status: String, count: Int)] = []
    public var lateShipments = 0
    public var positionsApplied = 0
    public var vehiclesTracked = 0
    /// Dealers' sell-through records (流向) kept, sold since then, and how many dealers sent them.
    public var sellThroughRecords = 0
    public var sellThroughDealers = 0
    /// Order lines a promotion priced (R5), and announcements published.
    public var promotionPricedLines = 0
    public var announcements = 0
    /// Surveys published and responses kept (R6).
    public var surveys = 0
    public var surveyResponses = 0
    /// Tickets opened, by kind and by status; counterfeit reports the anti-counterfeit system confirms.
    public var ticketsByKind: [(kind: String, count: Int)] = []
    public var ticketsByStatus: [(status: String, count: Int)] = []
    public var counterfeitConfirmed = 0

    public init() {}
}

/// How much master data the hub holds.
public struct MasterDataCounts: Sendable, Equatable {
    public var dealers = 0
    public var materials = 0
    public var stockRows = 0

    public init(dealers: Int = 0, materials: Int = 0, stockRows: Int = 0) {
        self.dealers = dealers
        self.materials = materials
        self.stockRows = stockRows
    }
}

/// Counts over the hub's state, for progress and summaries.
public struct HubActivity {
    let db: any SQLDatabase

    /// Orders submitted, shipments updated, fixes taken and trucks heard from since `since`.
    public func since(_ since: Timestamp) throws(StoreError) -> HubActivityCounts {
        var counts = HubActivityCounts()
        counts.ordersByStatus = try db.query("SELECT status, COUNT(*) FROM orders WHERE submitted_at >= ? GROUP BY status ORDER BY 2 DESC", .text(since.text))
            .map { ($0.string(0) ?? "", $0.int(1)) }
        counts.shipmentsByStatus = try db.query("SELECT status, COUNT(*) FROM shipments WHERE updated_at >= ? GROUP BY status ORDER BY 2 DESC", .text(since.text))
            .map { ($0.string(0) ?? "", $0.int(1)) }
        counts.lateShipments = try db.first("SELECT COUNT(*) FROM shipments WHERE late <> 0 AND updated_at >= ?", .text(since.text))?.int(0) ?? 0
        counts.positionsApplied = try db.first("SELECT COUNT(*) FROM vehicle_position_history WHERE fix_at_ms >= ?", .integer(since.milliseconds))?.int(0) ?? 0
        counts.vehiclesTracked = try db.first("SELECT COUNT(*) FROM vehicle_latest_position WHERE fix_at_ms >= ?", .integer(since.milliseconds))?.int(0) ?? 0
        if let row = try db.first("SELECT COUNT(*), COUNT(DISTINCT dealer_id) FROM sell_through WHERE sold_at_ms >= ?", .integer(since.milliseconds)) {
            (counts.sellThroughRecords, counts.sellThroughDealers) = (row.int(0), row.int(1))
        }
        try engagement(since, into: &counts)
        return counts
    }

    private func engagement(_ since: Timestamp, into counts: inout HubActivityCounts) throws(StoreError) {
        counts.promotionPricedLines = try db.first("""
            SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.order_id = l.order_id WHERE l.promotion_id IS NOT NULL AND o.submitted_at >= ?
            """, .text(since.text))?.int(0) ?? 0
        counts.announcements = try db.first("SELECT COUNT(*) FROM announcements WHERE updated_at >= ?", .text(since.text))?.int(0) ?? 0
        counts.surveys = try db.first("SELECT COUNT(*) FROM surveys WHERE opens_at >= ?", .text(since.text))?.int(0) ?? 0
        counts.surveyResponses = try db.first("SELECT COUNT(*) FROM survey_responses WHERE at >= ?", .text(since.text))?.int(0) ?? 0
        counts.ticketsByKind = try db.query("SELECT kind, COUNT(*) FROM tickets WHERE opened_at >= ? GROUP BY kind ORDER BY 1", .text(since.text))
            .map { ($0.string(0) ?? "", $0.int(1)) }
        counts.ticketsByStatus = try db.query("SELECT status, COUNT(*) FROM tickets WHERE opened_at >= ? GROUP BY status ORDER BY 1", .text(since.text))
            .map { ($0.string(0) ?? "", $0.int(1)) }
        let reader = TicketReadModel(db: db)
        for row in try db.query("SELECT counterfeit_code FROM tickets WHERE opened_at >= ? AND counterfeit_code IS NOT NULL", .text(since.text)) {
            guard let code = row.string(0) else { continue }
            let evidence = try reader.authenticity(of: code)
            if CounterfeitMatch.of(scans: evidence.scans, flags: evidence.flags) == .confirmed { counts.counterfeitConfirmed += 1 }
        }
    }

    /// The dealers, materials and stock rows held.
    public func masterData() throws(StoreError) -> MasterDataCounts {
        MasterDataCounts(dealers: try db.first("SELECT COUNT(*) FROM dealers")?.int(0) ?? 0,
                         materials: try db.first("SELECT COUNT(*) FROM materials")?.int(0) ?? 0,
                         stockRows: try db.first("SELECT COUNT(*) FROM stock")?.int(0) ?? 0)
    }
}
