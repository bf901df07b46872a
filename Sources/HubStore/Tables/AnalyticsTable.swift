import HubContracts
public import HubDomain
import Foundation

/// The figures (R4, R8) and the facts they are made of: the core adds the change an event makes to
/// an order's, a shipment's or a contract's contributions (``FigureContributions``) in the event's
/// transaction, and ``replaceAll(with:)`` writes them afresh when they are rebuilt.
public struct AnalyticsTable {
    let db: any SQLDatabase
    /// What the transaction's events changed, settled before it commits; nil outside a core transaction.
    public let buffer: FigureBuffer?

    init(db: any SQLDatabase, buffer: FigureBuffer? = nil) {
        self.db = db
        self.buffer = buffer
    }

    // MARK: - The figures

    /// Adds each row's measures to the figures. On SQLite it appends the whole change as one value
    /// (``PendingFigureBatch``) to `analytics_pending_batches`, which ``foldPending()`` moves into
    /// `analytics_figures` and every read adds until then (``PendingFigureRows``): an append seeks
    /// nothing, where adding to a row in place seeks it on its four-column key, once per row and
    /// transaction — that cost the core's ingest 20-24 % of its rate; a row of 40 columns appended per
    /// row of the change, 0-26 % (medians 9-20 %); one compact value, ~11 % before its fold (README,
    /// issue 26). On PostgreSQL it adds them in place (``upsertTogether(_:)``): there an upsert costs
    /// about what an append does, and a table emptied every second writes each row three times
    /// (append, delete, fold) and leaves the deleted ones for vacuum — measured, its ingest kept no
    /// more of its rate with the pending rows (the rules alone 0.67, the core's ingest 0.79, a round
    /// each) than with an upsert per row in place (0.82, 0.83, two rounds each in a run of their own).
    public func add(_ change: FigureContributions) throws(StoreError) {
        guard db.dialect == .sqlite else { return try addInPlace(change) }
        try db.execute("INSERT INTO analytics_pending_batches (rows) VALUES (?)", .blob(PendingFigureBatch.encode(change)))
    }

    /// What one fold moved: the pending rows it read, and the rows of the figures it wrote (one per key).
    public struct Fold: Sendable, Equatable {
        public var pendingRows: Int
        public var figureRows: Int

        public init(pendingRows: Int, figureRows: Int) {
            (self.pendingRows, self.figureRows) = (pendingRows, figureRows)
        }
    }

    /// Moves every pending change into `analytics_figures`, summed per key, and deletes it: the
    /// figures read the same before and after. SQLite's writers take turns, so nothing is appended
    /// between the read and the delete. PostgreSQL's writers add in place (``add(_:)``): nothing is
    /// pending there.
    @discardableResult
    public func foldPending() throws(StoreError) -> Fold {
        guard db.dialect == .sqlite else { return Fold(pendingRows: 0, figureRows: 0) }
        let batches = try db.query("SELECT batch_id, rows FROM analytics_pending_batches ORDER BY batch_id")
        guard let last = batches.last?.int64(0) else { return Fold(pendingRows: 0, figureRows: 0) }
        var sum = FigureContributions()
        var pendingRows = 0
        for batch in batches {
            try PendingFigureBatch.decode(batch.blob(1) ?? [], batchId: batch.int64(0)) { key, measures in
                sum.add(key, measures)
                pendingRows += 1
            }
        }
        try addInPlace(sum)
        try db.execute("DELETE FROM analytics_pending_batches WHERE batch_id <= ?", .integer(last))
        return Fold(pendingRows: pendingRows, figureRows: sum.measures.count)
    }

    /// Adds `change` to the rows of `analytics_figures` in place (a row new to the table starts at
    /// zero): SQLite's folds, PostgreSQL's writers, and a rebuild writing the whole table afresh. On
    /// SQLite a row is updated where it is, and inserted only when it was not there (its writers take
    /// turns); PostgreSQL's writers do not, so there it upserts (``upsertTogether(_:)``).
    private func addInPlace(_ change: FigureContributions) throws(StoreError) {
        guard db.dialect == .sqlite else { return try upsertTogether(change) }
        try write(change) { names in
            """
            INSERT INTO analytics_figures (\(names.joined(separator: ", ")), \(Self.keyColumns))
            VALUES (\(SQLText.placeholders(names.count + 4)))
            """
        } update: { names in
            """
            UPDATE analytics_figures SET \(names.map { "\($0) = \($0) + ?" }.joined(separator: ", "))
            WHERE scope = ? AND scope_id = ? AND product_line = ? AND month = ?
            """
        }
    }

    /// The rows one PostgreSQL statement of ``upsertTogether(_:)`` adds at most (a rebuild's whole
    /// table goes in pieces this size: each piece's arrays are built in memory, then parsed by the server).
    static let upsertChunk = 2_000

    /// PostgreSQL: adds the rows of `change` with one upsert statement per ``upsertChunk`` rows, each
    /// column's values bound as one array (``PostgresArrayLiteral``) and unnested by the server — the
    /// columns of the measures any of the rows changed. A statement per row cost a round trip to the
    /// server per row: a transaction of the core's ingest changes tens to hundreds of rows (each
    /// order's change counts for its dealer, sales rep, branch, province, plant, carrier and the
    /// company, for its line and for all lines). The rows go in key order, the same in every writer,
    /// so two writers adding to the same rows lock them in the same order and do not deadlock.
    private func upsertTogether(_ change: FigureContributions) throws(StoreError) {
        let rows = change.measures.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        let columns = AnalyticsMeasures.columns
        for start in stride(from: 0, to: rows.count, by: Self.upsertChunk) {
            let chunk = rows[start..<min(rows.count, start + Self.upsertChunk)]
            let mask = chunk.reduce(UInt64(0)) { $0 | $1.value.nonZeroMask }
            let changed = columns.indices.filter { mask & (1 << UInt64($0)) != 0 }
            let names = changed.map { columns[$0] }
            var binds: [SQLValue] = [.text(PostgresArrayLiteral.texts(chunk.lazy.map(\.key.scope.rawValue))),
                                     .text(PostgresArrayLiteral.texts(chunk.lazy.map(\.key.scopeId))),
                                     .text(PostgresArrayLiteral.texts(chunk.lazy.map(\.key.productLine))),
                                     .text(PostgresArrayLiteral.texts(chunk.lazy.map(\.key.month.text)))]
            binds += changed.map { index in .text(PostgresArrayLiteral.integers(chunk.lazy.map { $0.value[index] })) }
            try db.execute("""
                INSERT INTO analytics_figures (\(Self.keyColumns), \(names.joined(separator: ", ")))
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]\(String(repeating: ", ?::bigint[]", count: names.count)))
                ON CONFLICT (\(Self.keyColumns)) DO UPDATE SET
                \(names.map { "\($0) = analytics_figures.\($0) + excluded.\($0)" }.joined(separator: ", "))
                """, binds)
        }
    }

    /// Writes each row of `change` with the statement `insert` makes for its changed measures'
    /// columns (bound: those measures, the key, then `trailing`), after the one `update` makes, when
    /// it makes one and it changed no row. A row whose measures are all zero is not written.
    func write(_ change: FigureContributions, trailing: [SQLValue] = [], insert: ([String]) -> String,
               update: ([String]) -> String? = { _ in nil }) throws(StoreError) {
        let columns = AnalyticsMeasures.columns
        // One bit per measure: the measures are at most 40 (`AnalyticsMeasures.capacity`), the mask holds 64.
        var statements: [UInt64: (update: String?, insert: String)] = [:]
        for (key, measures) in change.measures {
            let mask = measures.nonZeroMask
            guard mask != 0 else { continue }
            var values: [SQLValue] = []
            values.reserveCapacity(8)
            for index in columns.indices where mask & (1 << UInt64(index)) != 0 { values.append(.integer(measures[index])) }
            let sql = statements[mask] ?? {
                let names = columns.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { columns[$0] }
                let text = (update: update(names), insert: insert(names))
                statements[mask] = text
                return text
            }()
            values += Self.keyValues(key)
            values += trailing
            if let update = sql.update, try db.execute(update, values) > 0 { continue }
            try db.execute(sql.insert, values)
        }
    }

    /// Every row, as the figures hold it with the pending rows added (rows whose measures are all
    /// zero left out: a figure that went up and back down is the same as one never counted).
    public func all() throws(StoreError) -> FigureContributions {
        let columns = AnalyticsMeasures.columns
        let key = Self.keyColumns
        let select = "SELECT \(key), \(columns.joined(separator: ", ")) FROM "
        let rows = try PendingFigureRows.reading(db) { pending throws(StoreError) in
            try db.query("""
                SELECT \(key), \(columns.map { "CAST(SUM(\($0)) AS BIGINT)" }.joined(separator: ", ")) FROM (
                    \((["analytics_figures"] + (pending.map { [$0] } ?? [])).map { select + $0 }.joined(separator: " UNION ALL "))) f
                GROUP BY \(key)
                """)
        }
        var figures = FigureContributions()
        for row in rows {
            guard let scope = row.string(0).flatMap(AnalyticsScope.init(rawValue:)), let month = row.string(3).flatMap({ FigureMonth(text: $0) }) else {
                throw StoreError(.statement, "analytics_figures holds a row with scope \(row.string(0) ?? "NULL") and month \(row.string(3) ?? "NULL"), which this version cannot read")
            }
            var measures = AnalyticsMeasures()
            for index in columns.indices { measures[index] = row.int64(4 + index) }
            figures.add(FigureKey(scope, row.string(1) ?? "", productLine: row.string(2) ?? "", month: month), measures)
        }
        return figures
    }

    /// Makes every other writer of the figures wait until this transaction ends: called by a rebuild
    /// before it reads the facts. On PostgreSQL a writer (the core's ingest, a dealer's sign-in)
    /// writes its facts and then adds to the figures in one transaction; one that added before the
    /// lock has committed when the rebuild reads (its facts are read), one that adds after waits and
    /// adds to the rebuilt rows (its facts were not yet committed, so not read) — nothing is counted
    /// twice or lost. SQLite's writers take turns anyway.
    public func holdWriters() throws(StoreError) {
        if db.dialect == .postgresql { try db.executeScript("LOCK TABLE analytics_figures IN SHARE ROW EXCLUSIVE MODE") }
    }

    /// Replaces every row (the pending ones too) with `figures`, and records that the figures were built.
    public func replaceAll(with figures: FigureContributions) throws(StoreError) {
        _ = try db.execute("DELETE FROM analytics_pending_batches")
        _ = try db.execute("DELETE FROM analytics_figures")
        try addInPlace(figures)
        try markBuilt()
    }

    /// Whether the figures were added up from the stored facts since the table was made.
    public func isBuilt() throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM analytics_state WHERE name = 'built'") != nil
    }

    public func markBuilt() throws(StoreError) {
        try TableWrites.upsert("analytics_state", key: ["name"], columns: ["name": .text("built"), "value": .text(Timestamp(Date()).text)], in: db)
    }

    /// A row's key, in the order ``keyValues(_:)`` binds it.
    static let keyColumns = "scope, scope_id, product_line, month"

    static func keyValues(_ key: FigureKey) -> [SQLValue] {
        [.text(key.scope.rawValue), .text(key.scopeId), .text(key.productLine), .text(key.month.text)]
    }

    // MARK: - Orders' facts

    private static let orderColumns = """
        o.order_id, o.dealer_id, o.branch_id, o.sales_rep_id, o.province, o.status, COALESCE(o.placed_at, o.submitted_at), o.confirmed_at,
        o.promised_date, o.dispatched_at, o.plant_id, o.carrier_id, o.rating, o.receipt_score
        """
    private static let lineColumns = "l.order_id, l.product_line, l.taken_ml, l.taken_g, l.revenue_fen, l.cost_fen"

    /// What the figures need of one order; nil when the order is not known. One statement for the
    /// order and its lines: the core reads each order an event touches twice per transaction.
    public func orderFacts(_ orderId: String) throws(StoreError) -> OrderFacts? {
        let rows = try db.query("""
            SELECT \(Self.orderColumns), \(Self.lineColumns) FROM orders o LEFT JOIN order_lines l ON l.order_id = o.order_id
            WHERE o.order_id = ? ORDER BY l.line_no
            """, .text(orderId))
        guard let first = rows.first else { return nil }
        let lineStart = 14  // after the order's columns
        return Self.orderFacts(first, lines: rows.filter { !$0.isNull(lineStart) }.map { Self.line($0, from: lineStart) })
    }

    /// The facts of up to `limit` orders after `orderId` (in id order), for a rebuild to read every
    /// order a page at a time.
    public func orderFacts(after orderId: String, limit: Int) throws(StoreError) -> [OrderFacts] {
        let rows = try db.query("SELECT \(Self.orderColumns) FROM orders o WHERE o.order_id > ? ORDER BY o.order_id LIMIT ?",
                                .text(orderId), .integer(Int64(limit)))
        guard let last = rows.last?.string(0) else { return [] }
        var lines: [String: [OrderFacts.Line]] = [:]
        for row in try db.query("SELECT \(Self.lineColumns) FROM order_lines l WHERE l.order_id > ? AND l.order_id <= ? ORDER BY l.order_id, l.line_no",
                                .text(orderId), .text(last)) {
            lines[row.string(0) ?? "", default: []].append(Self.line(row, from: 0))
        }
        return rows.map { Self.orderFacts($0, lines: lines[$0.string(0) ?? ""] ?? []) }
    }

    private static func orderFacts(_ row: SQLRow, lines: [OrderFacts.Line]) -> OrderFacts {
        let time = { (column: Int) in row.string(column).flatMap(Timestamp.init(parsing:))?.date }
        let rating = StoredJSON.decode(OrderRating.self, row.string(12)).map {
            OrderFacts.Rating(productQuality: $0.productQuality, dispatchSpeed: $0.dispatchSpeed, serviceQuality: $0.serviceQuality)
        }
        return OrderFacts(
            orderId: row.string(0) ?? "",
            attribution: DealerAttribution(dealerId: row.string(1) ?? "", branchId: row.string(2) ?? "", salesRepId: row.string(3), province: row.string(4) ?? ""),
            status: OrderStatus(rawValue: row.string(5) ?? ""), placedAt: time(6) ?? Date(timeIntervalSince1970: 0), lines: lines,
            confirmedAt: time(7), promisedDate: row.string(8).flatMap(CalendarDate.init), dispatchedAt: time(9), plantId: row.string(10),
            carrierId: row.string(11), rating: rating, receiptScore: row.isNull(13) ? nil : row.int(13))
    }

    /// A line from ``lineColumns`` starting at column `start`.
    private static func line(_ row: SQLRow, from start: Int) -> OrderFacts.Line {
        let taken = row.isNull(start + 2) ? nil : OrderFacts.Taken(millilitres: row.int64(start + 2), grams: row.int64(start + 3),
                                                                     revenueFen: row.int64(start + 4), costFen: row.isNull(start + 5) ? nil : row.int64(start + 5))
        return OrderFacts.Line(productLine: row.string(start + 1) ?? "?", taken: taken)
    }

    // MARK: - Shipments' and contracts' facts

    private static let shipmentColumns = "shipment_id, carrier_id, dispatched_at, delivered_at, promised_date, exception, arrived_at, first_carrier_eta, gps_covered_final_ms"

    public func shipmentFacts(_ shipmentId: String) throws(StoreError) -> ShipmentFacts? {
        try db.first("SELECT \(Self.shipmentColumns) FROM shipments WHERE shipment_id = ?", .text(shipmentId)).map(Self.shipmentFacts)
    }

    public func allShipmentFacts() throws(StoreError) -> [ShipmentFacts] {
        try db.query("SELECT \(Self.shipmentColumns) FROM shipments ORDER BY shipment_id").map(Self.shipmentFacts)
    }

    private static func shipmentFacts(_ row: SQLRow) -> ShipmentFacts {
        ShipmentFacts(shipmentId: row.string(0) ?? "", carrierId: row.string(1) ?? "",
                      dispatchedAt: row.string(2).flatMap(Timestamp.init(parsing:))?.date, deliveredAt: row.string(3).flatMap(Timestamp.init(parsing:))?.date,
                      promisedDate: row.string(4).flatMap(CalendarDate.init), hadException: !row.isNull(5),
                      arrivedAt: row.string(6).flatMap(Timestamp.init(parsing:))?.date, firstCarrierEta: row.string(7).flatMap(Timestamp.init(parsing:))?.date,
                      gpsCoveredMilliseconds: row.isNull(8) ? 0 : row.int64(8))
    }

    private static let contractColumns = """
        contract_id, dealer_id, branch_id, sales_rep_id, province, product_line, valid_from, valid_to, contracted_litres, contracted_kilograms, status
        """

    public func contractFacts(_ contractId: String) throws(StoreError) -> ContractFacts? {
        try db.first("SELECT \(Self.contractColumns) FROM contracts WHERE contract_id = ?", .text(contractId)).flatMap(Self.contractFacts)
    }

    public func allContractFacts() throws(StoreError) -> [ContractFacts] {
        try db.query("SELECT \(Self.contractColumns) FROM contracts ORDER BY contract_id").compactMap(Self.contractFacts)
    }

    private static func contractFacts(_ row: SQLRow) -> ContractFacts? {
        guard let from = row.string(6).flatMap(CalendarDate.init), let to = row.string(7).flatMap(CalendarDate.init) else { return nil }
        let units = { (column: Int) in row.string(column).flatMap(DecimalNumber.init).map { MinorUnits.whole($0.value, scale: 3) } ?? 0 }
        return ContractFacts(contractId: row.string(0) ?? "",
                             attribution: DealerAttribution(dealerId: row.string(1) ?? "", branchId: row.string(2) ?? "", salesRepId: row.string(3),
                                                            province: row.string(4) ?? ""),
                             productLine: row.string(5) ?? "?", validFrom: from, validTo: to, millilitres: units(8), grams: units(9),
                             cancelled: row.string(10) == ContractUpserted.Status.cancelled.rawValue)
    }

    private static let fundColumns = "entry_id, dealer_id, branch_id, sales_rep_id, province, entry, product_line, period_from, period_to, amount, status"

    public func fundFacts(_ entryId: String) throws(StoreError) -> FundFacts? {
        try db.first("SELECT \(Self.fundColumns) FROM fund_entries WHERE entry_id = ?", .text(entryId)).flatMap(Self.fundFacts)
    }

    public func allFundFacts() throws(StoreError) -> [FundFacts] {
        try db.query("SELECT \(Self.fundColumns) FROM fund_entries ORDER BY entry_id").compactMap(Self.fundFacts)
    }

    private static func fundFacts(_ row: SQLRow) -> FundFacts? {
        guard let entry = row.string(5).flatMap(FundPosted.Entry.init(rawValue:)), let from = row.string(7).flatMap(CalendarDate.init),
              let to = row.string(8).flatMap(CalendarDate.init), let amount = row.string(9).flatMap(DecimalNumber.init) else { return nil }
        return FundFacts(entryId: row.string(0) ?? "",
                         attribution: DealerAttribution(dealerId: row.string(1) ?? "", branchId: row.string(2) ?? "", salesRepId: row.string(3),
                                                        province: row.string(4) ?? ""),
                         entry: entry, productLine: row.string(6), periodFrom: from, periodTo: to, amountFen: MinorUnits.whole(amount.value, scale: 2),
                         reversed: row.string(10) == FundPosted.Status.reversed.rawValue)
    }

    private static let sellThroughColumns = """
        dealer_id, record_id, dealer_branch_id, dealer_sales_rep_id, dealer_province, product_line, sold_at_ms, sold_ml, sold_g
        """

    /// A sell-through record's facts; nil when the hub does not have it or kept it before the figures counted sell-through.
    public func sellThroughFacts(dealerId: String, recordId: String) throws(StoreError) -> SellThroughFacts? {
        try db.first("SELECT \(Self.sellThroughColumns) FROM sell_through WHERE dealer_id = ? AND record_id = ?", .text(dealerId), .text(recordId))
            .flatMap(Self.sellThroughFacts)
    }

    public func allSellThroughFacts() throws(StoreError) -> [SellThroughFacts] {
        try db.query("SELECT \(Self.sellThroughColumns) FROM sell_through WHERE sold_ml IS NOT NULL ORDER BY dealer_id, record_id").compactMap(Self.sellThroughFacts)
    }

    /// Every dealer's sign-ins, day by day, with whom it belonged to that day.
    public func allSignInFacts() throws(StoreError) -> [SignInFacts] {
        try db.query("SELECT dealer_id, branch_id, sales_rep_id, province, day, sign_ins FROM dealer_sign_ins ORDER BY dealer_id, day").compactMap { row in
            CalendarDate(row.string(4) ?? "").map { SignInFacts(day: $0, attribution: DealerSignInTable.attribution(row), signIns: row.int64(5)) }
        }
    }

    private static func sellThroughFacts(_ row: SQLRow) -> SellThroughFacts? {
        guard !row.isNull(7) else { return nil }
        return SellThroughFacts(dealerId: row.string(0) ?? "", recordId: row.string(1) ?? "",
                                attribution: DealerAttribution(dealerId: row.string(0) ?? "", branchId: row.string(2) ?? "", salesRepId: row.string(3),
                                                               province: row.string(4) ?? ""),
                                productLine: row.string(5) ?? "?", soldAt: Date(timeIntervalSince1970: Double(row.int64(6)) / 1_000),
                                millilitres: row.int64(7), grams: row.int64(8))
    }
}
