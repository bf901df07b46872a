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

/// A tier-1 dealer's books (R1) as the API and the console read them: the period report, the
/// documents, the stock now and the settings.
public struct BookReadModel {
    let db: any SQLDatabase

    static let dayMilliseconds: Int64 = 86_400_000

    /// The report for [`from`, `to`); a customer owes what it was sold less refunds and payments before `to`.
    public func report(dealerId: String, from: Timestamp, to: Timestamp) throws(StoreError) -> BookReport {
        let (start, end) = (from.milliseconds, to.milliseconds)
        let kinds = try db.query("""
            SELECT material_id, kind, SUM(quantity_milli), SUM(revenue_fen), SUM(cost_fen) FROM book_lines
            WHERE dealer_id = ? AND booked_at_ms >= ? AND booked_at_ms < ? AND material_id <> '' GROUP BY material_id, kind
            """, .text(dealerId), .integer(start), .integer(end)).map {
            BookReportBuilder.KindSums(materialId: $0.string(0) ?? "", kind: BookEntryKind(rawValue: $0.string(1) ?? ""), quantityMilli: $0.int64(2),
                                       revenueFen: $0.int64(3), costFen: $0.int64(4))
        }
        // Every material the dealer ever booked (its positions), and where each stood at the start and the end.
        let held = try db.query("SELECT material_id FROM book_positions WHERE dealer_id = ?", .text(dealerId)).compactMap { $0.string(0) }
        var (opening, closing): ([String: BookPosition], [String: BookPosition]) = ([:], [:])
        for material in held {
            if let position = try position(dealerId: dealerId, materialId: material, before: start) { opening[material] = position }
            if let position = try position(dealerId: dealerId, materialId: material, before: end) { closing[material] = position }
        }
        let customers = try customerSums(dealerId: dealerId, start: start, end: end)
        let names = try materialNames(Set(held).union(kinds.map(\.materialId)))
        return BookReportBuilder(dealerId: dealerId, from: from, to: to).report(kinds: kinds, opening: opening, closing: closing, names: names, customers: customers)
    }

    /// Where a material stood after the last line booked before `milliseconds`; nil when none was.
    func position(dealerId: String, materialId: String, before milliseconds: Int64) throws(StoreError) -> BookPosition? {
        try db.first("""
            SELECT on_hand_milli_after, value_fen_after FROM book_lines WHERE dealer_id = ? AND material_id = ? AND booked_at_ms < ?
            ORDER BY booked_at_ms DESC, seq DESC LIMIT 1
            """, .text(dealerId), .text(materialId), .integer(milliseconds)).map { BookPosition(onHandMilli: $0.int64(0), valueFen: $0.int64(1)) }
    }

    /// Each customer's period, what it owed at the end, and its sales of the last 90 days by age band.
    func customerSums(dealerId: String, start: Int64, end: Int64) throws(StoreError) -> [BookReportBuilder.CustomerSums] {
        let day = Self.dayMilliseconds
        let bands = ReceivableAgeing.bandDays.map { end - Int64($0 + 1) * day }
        let rows = try db.query("""
            SELECT customer_id,
                   SUM(CASE WHEN booked_at_ms >= ? THEN revenue_fen ELSE 0 END), SUM(CASE WHEN booked_at_ms >= ? THEN cost_fen ELSE 0 END),
                   SUM(CASE WHEN booked_at_ms >= ? THEN paid_fen ELSE 0 END), SUM(revenue_fen - paid_fen),
                   SUM(CASE WHEN kind = 'sale' AND booked_at_ms >= ? THEN revenue_fen ELSE 0 END),
                   SUM(CASE WHEN kind = 'sale' AND booked_at_ms >= ? AND booked_at_ms < ? THEN revenue_fen ELSE 0 END),
                   SUM(CASE WHEN kind = 'sale' AND booked_at_ms >= ? AND booked_at_ms < ? THEN revenue_fen ELSE 0 END)
            FROM book_lines WHERE dealer_id = ? AND customer_id <> '' AND booked_at_ms < ? GROUP BY customer_id
            """, .integer(start), .integer(start), .integer(start), .integer(bands[0]), .integer(bands[1]), .integer(bands[0]), .integer(bands[2]),
            .integer(bands[1]), .text(dealerId), .integer(end))
        // Customers with nothing in the period and nothing owed are left out.
        let active = rows.filter { $0.int64(1) != 0 || $0.int64(2) != 0 || $0.int64(3) != 0 || $0.int64(4) != 0 }
        var names: [String: (name: String?, kind: String?)] = [:]
        for part in stride(from: 0, to: active.count, by: 500) {
            let ids = active[part..<min(part + 500, active.count)].compactMap { $0.string(0) }
            for row in try db.query("""
                SELECT customer_id, MAX(customer_name), MAX(customer_kind) FROM book_documents
                WHERE dealer_id = ? AND customer_id IN (\(SQLText.placeholders(ids.count))) GROUP BY customer_id
                """, [.text(dealerId)] + ids.map(SQLValue.text)) {
                names[row.string(0) ?? ""] = (row.string(1), row.string(2))
            }
        }
        return active.map { row in
            let customer = row.string(0) ?? ""
            let recent = ReceivableAgeing.RecentSales(days0to30Fen: row.int64(5), days31to60Fen: row.int64(6), days61to90Fen: row.int64(7))
            return BookReportBuilder.CustomerSums(customerId: customer, name: names[customer]?.name, kind: names[customer]?.kind, revenueFen: row.int64(1),
                                                  costFen: row.int64(2), paidFen: row.int64(3),
                                                  ageing: ReceivableAgeing(balanceFen: row.int64(4), recentSales: recent))
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

    /// Whether the dealer allows its stock to go negative.
    public func allowsNegativeStock(dealerId: String) throws(StoreError) -> Bool {
        try db.first("SELECT allow_negative_stock FROM book_dealers WHERE dealer_id = ?", .text(dealerId)).map { $0.int64(0) != 0 } ?? false
    }

    /// The delivery notes against a tier-2 order, oldest first.
    public func deliveries(of orderId: String) throws(StoreError) -> [Tier2Delivery] {
        try DealerTradeTable(db: db).deliveries(of: orderId)
    }
}
