public import HubContracts
public import HubDomain
import Foundation

/// A document of a dealer's books as the API shows it.
public struct BookDocumentRecord: Codable, Sendable, Equatable {
    public var entryId: String
    public var dealerId: String
    public var kind: String
    public var customer: BookEntryRecorded.Customer?
    public var lines: [BookEntryRecorded.Line]
    /// A payment's amount, yuan.
    public var amount: String?
    /// booked, or refused (with `reason`).
    public var status: String
    public var reason: String?
    public var reference: String?
    public var at: String
    public var recordedBy: String
}

/// What a dealer's books hold of a material now.
public struct BookStockLine: Codable, Sendable, Equatable {
    public var materialId: String
    public var name: String?
    public var onHand: String
    public var value: String
    public var averageCost: String?
}

/// One of a dealer's selling prices: for a customer, or its list price (no customer).
public struct BookPriceLine: Codable, Sendable, Equatable {
    public var customerId: String?
    public var materialId: String
    public var name: String?
    public var unitPrice: String
    public var setBy: String
    public var setAt: String
}

/// The price a sale's line takes when it is written without one, and where it came from.
public struct BookSalePrice: Sendable, Equatable {
    public enum Source: String, Sendable { case customer, list }
    public var unitPrice: DecimalNumber
    public var source: Source

    public init(unitPrice: DecimalNumber, source: Source) {
        self.unitPrice = unitPrice
        self.source = source
    }
}

/// A tier-1 dealer's books (R1) as the API and the console read them: the period report, the
/// documents, the stock now and the settings.
public struct BookReadModel {
    let db: any SQLDatabase

    /// The report for [`from`, `to`): whole China days from the daily sums, the parts of a day at either end from the
    /// lines; a customer owes what it was sold less refunds and payments before `to`. `fromLinesOnly`: every line of the
    /// period read instead of the daily sums (the benchmark's baseline; the answer is the same).
    public func report(dealerId: String, from: Timestamp, to: Timestamp, fromLinesOnly: Bool = false) throws(StoreError) -> BookReport {
        let (start, end) = (from.milliseconds, to.milliseconds)
        let daily = BookDay.split(fromMilliseconds: start, toMilliseconds: end)
        let split = fromLinesOnly ? (before: start..<max(start, end), days: daily.days.lowerBound..<daily.days.lowerBound, after: end..<end) : daily
        var sums: [String: BookReportBuilder.KindSums] = [:]
        func add(_ row: SQLRow) {
            let (material, kind) = (row.string(0) ?? "", BookEntryKind(rawValue: row.string(1) ?? ""))
            var sum = sums["\(material)|\(kind.rawValue)"] ?? .init(materialId: material, kind: kind, quantityMilli: 0, revenueFen: 0, costFen: 0)
            sum.quantityMilli += row.int64(2)
            sum.revenueFen += row.int64(3)
            sum.costFen += row.int64(4)
            sums["\(material)|\(kind.rawValue)"] = sum
        }
        for part in [split.before, split.after] where !part.isEmpty {
            for row in try db.query("""
                SELECT material_id, kind, SUM(quantity_milli), SUM(revenue_fen), SUM(cost_fen) FROM book_lines
                WHERE dealer_id = ? AND booked_at_ms >= ? AND booked_at_ms < ? AND material_id <> '' GROUP BY material_id, kind
                """, .text(dealerId), .integer(part.lowerBound), .integer(part.upperBound)) { add(row) }
        }
        if !split.days.isEmpty {
            for row in try db.query("""
                SELECT material_id, kind, SUM(quantity_milli), SUM(revenue_fen), SUM(cost_fen) FROM book_day_materials
                WHERE dealer_id = ? AND day >= ? AND day < ? GROUP BY material_id, kind
                """, .text(dealerId), .integer(split.days.lowerBound), .integer(split.days.upperBound)) { add(row) }
        }
        let kinds = sums.keys.sorted().compactMap { sums[$0] }
        // Every material the dealer ever booked (its positions), and where each stood at the start and the end.
        let held = try db.query("SELECT material_id FROM book_positions WHERE dealer_id = ?", .text(dealerId)).compactMap { $0.string(0) }
        let opening = try positions(dealerId: dealerId, before: start)
        let closing = try positions(dealerId: dealerId, before: end)
        let customers = try customerSums(dealerId: dealerId, split: split, end: end)
        let names = try materialNames(Set(held).union(kinds.map(\.materialId)))
        // What the dealer owed the company at `to` (the ERP's invoices less credit memos and clearings, by China date).
        var payables: Int64?
        if let day = CalendarDate(BookDay.date(of: BookDay.index(ofMilliseconds: end))) {
            payables = MinorUnits.whole(try InvoiceReadModel(db: db).owed(dealerId: dealerId, before: day), scale: 2)
        }
        return BookReportBuilder(dealerId: dealerId, from: from, to: to).report(kinds: kinds, opening: opening, closing: closing, names: names, customers: customers,
                                                                                 payablesFen: payables)
    }

    /// Where each material stood after its last line booked before `milliseconds` (materials with none before are absent):
    /// one statement, a seek per material (on PostgreSQL one round trip instead of one per material).
    func positions(dealerId: String, before milliseconds: Int64) throws(StoreError) -> [String: BookPosition] {
        let last = "FROM book_lines l WHERE l.dealer_id = p.dealer_id AND l.material_id = p.material_id AND l.booked_at_ms < ? ORDER BY l.booked_at_ms DESC, l.seq DESC LIMIT 1"
        var positions: [String: BookPosition] = [:]
        for row in try db.query("""
            SELECT p.material_id, (SELECT l.on_hand_milli_after \(last)), (SELECT l.value_fen_after \(last)) FROM book_positions p WHERE p.dealer_id = ?
            """, .integer(milliseconds), .integer(milliseconds), .text(dealerId)) where !row.isNull(1) {
            positions[row.string(0) ?? ""] = BookPosition(onHandMilli: row.int64(1), valueFen: row.int64(2))
        }
        return positions
    }

    /// Each customer's period, what it owed at the end, and its sales of the last 90 days by age band (in China days).
    func customerSums(dealerId: String, split: (before: Range<Int64>, days: Range<Int64>, after: Range<Int64>), end: Int64)
        throws(StoreError) -> [BookReportBuilder.CustomerSums] {
        struct Sums { var revenue: Int64 = 0, cost: Int64 = 0, paid: Int64 = 0, balance: Int64 = 0, bands: [Int64] = [0, 0, 0] }
        var sums: [String: Sums] = [:]
        // The period: whole days from the daily sums, the ends from the lines.
        for part in [split.before, split.after] where !part.isEmpty {
            for row in try db.query("""
                SELECT customer_id, SUM(revenue_fen), SUM(cost_fen), SUM(paid_fen) FROM book_lines
                WHERE dealer_id = ? AND booked_at_ms >= ? AND booked_at_ms < ? AND customer_id <> '' GROUP BY customer_id
                """, .text(dealerId), .integer(part.lowerBound), .integer(part.upperBound)) {
                sums[row.string(0) ?? "", default: Sums()].revenue += row.int64(1)
                sums[row.string(0) ?? "", default: Sums()].cost += row.int64(2)
                sums[row.string(0) ?? "", default: Sums()].paid += row.int64(3)
            }
        }
        if !split.days.isEmpty {
            for row in try db.query("""
                SELECT customer_id, SUM(revenue_fen), SUM(cost_fen), SUM(paid_fen) FROM book_day_customers
                WHERE dealer_id = ? AND day >= ? AND day < ? GROUP BY customer_id
                """, .text(dealerId), .integer(split.days.lowerBound), .integer(split.days.upperBound)) {
                sums[row.string(0) ?? "", default: Sums()].revenue += row.int64(1)
                sums[row.string(0) ?? "", default: Sums()].cost += row.int64(2)
                sums[row.string(0) ?? "", default: Sums()].paid += row.int64(3)
            }
        }
        // Owed at `to`: each customer's balance at the end of the last whole day before the day `to` falls in, plus that
        // day's lines up to `to` (whose sales are 0 days old).
        let endDay = BookDay.index(ofMilliseconds: end)
        let customers = try db.query("SELECT customer_id, name, kind FROM book_customers WHERE dealer_id = ?", .text(dealerId))
        for row in try db.query("""
            SELECT c.customer_id, (SELECT d.balance_fen FROM book_day_customers d WHERE d.dealer_id = c.dealer_id AND d.customer_id = c.customer_id AND d.day < ?
                                   ORDER BY d.day DESC LIMIT 1)
            FROM book_customers c WHERE c.dealer_id = ?
            """, .integer(endDay), .text(dealerId)) {
            sums[row.string(0) ?? "", default: Sums()].balance += row.int64(1)
        }
        let lastDay = BookDay.index(ofMilliseconds: end - 1)
        let partialDay = BookDay.start(of: endDay)..<end
        if !partialDay.isEmpty {
            for row in try db.query("""
                SELECT customer_id, SUM(revenue_fen - paid_fen), SUM(CASE WHEN kind = 'sale' THEN revenue_fen ELSE 0 END) FROM book_lines
                WHERE dealer_id = ? AND booked_at_ms >= ? AND booked_at_ms < ? AND customer_id <> '' GROUP BY customer_id
                """, .text(dealerId), .integer(partialDay.lowerBound), .integer(partialDay.upperBound)) {
                sums[row.string(0) ?? "", default: Sums()].balance += row.int64(1)
                sums[row.string(0) ?? "", default: Sums()].bands[0] += row.int64(2)
            }
        }
        // Sales by age: a sale on the report's last day is 0 days old; bands 0–30, 31–60, 61–90.
        let limits = ReceivableAgeing.bandDays.map { lastDay - Int64($0) }
        for row in try db.query("""
            SELECT customer_id, SUM(CASE WHEN day >= ? THEN sales_fen ELSE 0 END), SUM(CASE WHEN day < ? AND day >= ? THEN sales_fen ELSE 0 END),
                   SUM(CASE WHEN day < ? THEN sales_fen ELSE 0 END)
            FROM book_day_customers WHERE dealer_id = ? AND day >= ? AND day < ? GROUP BY customer_id
            """, .integer(limits[0]), .integer(limits[0]), .integer(limits[1]), .integer(limits[1]), .text(dealerId), .integer(limits[2]), .integer(endDay)) {
            for band in 0..<3 { sums[row.string(0) ?? "", default: Sums()].bands[band] += row.int64(band + 1) }
        }
        var named: [String: (name: String?, kind: String?)] = [:]
        for row in customers { named[row.string(0) ?? ""] = (row.string(1), row.string(2)) }
        // Customers with nothing in the period and nothing owed are left out.
        return sums.filter { $0.value.revenue != 0 || $0.value.cost != 0 || $0.value.paid != 0 || $0.value.balance != 0 }.map { customer, sum in
            let recent = ReceivableAgeing.RecentSales(days0to30Fen: sum.bands[0], days31to60Fen: sum.bands[1], days61to90Fen: sum.bands[2])
            return BookReportBuilder.CustomerSums(customerId: customer, name: named[customer]?.name, kind: named[customer]?.kind, revenueFen: sum.revenue,
                                                  costFen: sum.cost, paidFen: sum.paid, ageing: ReceivableAgeing(balanceFen: sum.balance, recentSales: recent))
        }
    }

    func materialNames(_ ids: Set<String>) throws(StoreError) -> [String: String] {
        var names: [String: String] = [:]
        let all = ids.filter { !$0.isEmpty }.sorted()
        for part in stride(from: 0, to: all.count, by: 500) {
            let ids = Array(all[part..<min(part + 500, all.count)])
            for row in try db.query("SELECT material_id, name FROM materials WHERE material_id IN (\(SQLText.placeholders(ids.count)))", ids.map(SQLValue.text)) {
                names[row.string(0) ?? ""] = row.string(1)
            }
        }
        return names
    }

    /// The dealer's documents, newest first; `before` continues a page (an entry id it gave).
    public func documents(dealerId: String, kind: BookEntryKind? = nil, before: String? = nil, limit: Int) throws(StoreError) -> [BookDocumentRecord] {
        var sql = """
            SELECT entry_id, dealer_id, kind, customer_id, customer_name, customer_kind, amount_fen, status, reason, reference, at, recorded_by, document, at_ms
            FROM book_documents WHERE dealer_id = ?
            """
        var binds: [SQLValue] = [.text(dealerId)]
        if let kind { sql += " AND kind = ?"; binds.append(.text(kind.rawValue)) }
        if let before, let cursor = try db.first("SELECT at_ms FROM book_documents WHERE entry_id = ? AND dealer_id = ?", .text(before), .text(dealerId)) {
            sql += " AND (at_ms < ? OR (at_ms = ? AND entry_id < ?))"
            binds += [.integer(cursor.int64(0)), .integer(cursor.int64(0)), .text(before)]
        }
        return try db.query(sql + " ORDER BY at_ms DESC, entry_id DESC LIMIT ?", binds + [.integer(Int64(limit))]).map(Self.document)
    }

    /// One document of the dealer's; nil when it is not (yet) in its books.
    public func document(_ entryId: String, dealerId: String) throws(StoreError) -> BookDocumentRecord? {
        try db.first("""
            SELECT entry_id, dealer_id, kind, customer_id, customer_name, customer_kind, amount_fen, status, reason, reference, at, recorded_by, document, at_ms
            FROM book_documents WHERE entry_id = ? AND dealer_id = ?
            """, .text(entryId), .text(dealerId)).map(Self.document)
    }

    static func document(_ row: SQLRow) -> BookDocumentRecord {
        let customer = row.string(3).map { BookEntryRecorded.Customer(customerId: $0, name: row.string(4), kind: BookCustomerKind(rawValue: row.string(5) ?? "")) }
        let kind = row.string(2) ?? ""
        return BookDocumentRecord(entryId: row.string(0) ?? "", dealerId: row.string(1) ?? "", kind: kind, customer: customer,
                                  lines: StoredJSON.decode([BookEntryRecorded.Line].self, row.string(12)) ?? [],
                                  amount: kind == BookEntryKind.payment.rawValue ? BookReportBuilder.money(row.int64(6)) : nil, status: row.string(7) ?? "",
                                  reason: row.string(8), reference: row.string(9), at: row.string(10) ?? "", recordedBy: row.string(11) ?? "")
    }

    /// What the dealer's books hold now, per material.
    public func stock(dealerId: String) throws(StoreError) -> [BookStockLine] {
        let rows = try db.query("SELECT material_id, on_hand_milli, value_fen FROM book_positions WHERE dealer_id = ? ORDER BY material_id", .text(dealerId))
        let names = try materialNames(Set(rows.compactMap { $0.string(0) }))
        return rows.map { row in
            let (onHand, value) = (row.int64(1), row.int64(2))
            return BookStockLine(materialId: row.string(0) ?? "", name: names[row.string(0) ?? ""], onHand: BookQuantity.text(onHand),
                                 value: BookReportBuilder.money(value),
                                 averageCost: onHand > 0 ? BookReportBuilder.money(BookPosition.fen(Decimal(value) * 1_000 / Decimal(onHand))) : nil)
        }
    }

    /// On hand per material now (thousandths), for the materials asked; a material never booked is absent.
    public func onHand(dealerId: String, materials: Set<String>) throws(StoreError) -> [String: Int64] {
        guard !materials.isEmpty else { return [:] }
        let ids = materials.sorted()
        var result: [String: Int64] = [:]
        for row in try db.query("SELECT material_id, on_hand_milli FROM book_positions WHERE dealer_id = ? AND material_id IN (\(SQLText.placeholders(ids.count)))",
                                [.text(dealerId)] + ids.map(SQLValue.text)) {
            result[row.string(0) ?? ""] = row.int64(1)
        }
        return result
    }

    /// The dealer's selling prices — one customer's and the list prices when `customerId` is named, else all —
    /// list prices first, then by customer and material.
    public func prices(dealerId: String, customerId: String? = nil, limit: Int = 1_000) throws(StoreError) -> [BookPriceLine] {
        var sql = """
            SELECT p.customer_id, p.material_id, m.name, p.unit_price, p.set_by, p.set_at FROM book_prices p
            LEFT JOIN materials m ON m.material_id = p.material_id WHERE p.dealer_id = ?
            """
        var binds: [SQLValue] = [.text(dealerId)]
        if let customerId { sql += " AND p.customer_id IN ('', ?)"; binds.append(.text(customerId)) }
        return try db.query(sql + " ORDER BY p.customer_id, p.material_id LIMIT ?", binds + [.integer(Int64(limit))]).map { row in
            let customer = row.string(0) ?? ""
            return BookPriceLine(customerId: customer.isEmpty ? nil : customer, materialId: row.string(1) ?? "", name: row.string(2),
                                 unitPrice: row.string(3) ?? "", setBy: row.string(4) ?? "", setAt: row.string(5) ?? "")
        }
    }

    /// The price each material asked takes for `customerId`: the customer's own, else the dealer's list price; a
    /// material with neither is absent.
    public func salePrices(dealerId: String, customerId: String, materials: Set<String>) throws(StoreError) -> [String: BookSalePrice] {
        guard !materials.isEmpty else { return [:] }
        let ids = materials.sorted()
        var result: [String: BookSalePrice] = [:]
        for row in try db.query("""
            SELECT material_id, customer_id, unit_price FROM book_prices
            WHERE dealer_id = ? AND customer_id IN ('', ?) AND material_id IN (\(SQLText.placeholders(ids.count)))
            """, [.text(dealerId), .text(customerId)] + ids.map(SQLValue.text)) {
            guard let material = row.string(0), let price = row.string(2).flatMap(DecimalNumber.init) else { continue }
            let forCustomer = !(row.string(1) ?? "").isEmpty
            if forCustomer || result[material] == nil { result[material] = BookSalePrice(unitPrice: price, source: forCustomer ? .customer : .list) }
        }
        return result
    }

    /// Whether the dealer allows its stock to go negative.
    public func allowsNegativeStock(dealerId: String) throws(StoreError) -> Bool {
        try db.first("SELECT allow_negative_stock FROM book_dealers WHERE dealer_id = ?", .text(dealerId)).map { $0.int64(0) != 0 } ?? false
    }

    /// The delivery notes against a tier-2 order, oldest first.
    public func deliveries(of orderId: String) throws(StoreError) -> [Tier2Delivery] {
        try DealerTradeTable(db: db).deliveries(of: orderId)
    }
}
