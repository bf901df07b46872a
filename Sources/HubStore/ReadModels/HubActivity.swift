public import HubContracts

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
        return counts
    }

    /// The dealers, materials and stock rows held.
    public func masterData() throws(StoreError) -> MasterDataCounts {
        MasterDataCounts(dealers: try db.first("SELECT COUNT(*) FROM dealers")?.int(0) ?? 0,
                         materials: try db.first("SELECT COUNT(*) FROM materials")?.int(0) ?? 0,
                         stockRows: try db.first("SELECT COUNT(*) FROM stock")?.int(0) ?? 0)
    }
}
