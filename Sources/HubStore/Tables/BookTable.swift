public import HubContracts
public import HubDomain
import Foundation

/// Where a dealer's books are: its setting, the last line booked and when.
public struct BookDealerState: Sendable, Equatable {
    public var allowNegativeStock: Bool
    public var lastSeq: Int64
    public var lastAtMilliseconds: Int64

    public init(allowNegativeStock: Bool = false, lastSeq: Int64 = 0, lastAtMilliseconds: Int64 = 0) {
        self.allowNegativeStock = allowNegativeStock
        self.lastSeq = lastSeq
        self.lastAtMilliseconds = lastAtMilliseconds
    }
}

/// A document as the books keep it: booked (with its lines) or refused (with why).
public struct BookDocumentRow: Sendable, Equatable {
    public var entryId: String
    public var dealerId: String
    public var kind: BookEntryKind
    public var customer: BookEntryRecorded.Customer?
    public var amountFen: Int64
    /// `nil` when booked.
    public var refusal: String?
    public var reference: String?
    public var at: Timestamp
    public var recordedBy: String
    /// The lines as written (materials, quantities, prices).
    public var lines: [BookEntryRecorded.Line]

    public init(entryId: String, dealerId: String, kind: BookEntryKind, customer: BookEntryRecorded.Customer?, amountFen: Int64, refusal: String?,
                reference: String?, at: Timestamp, recordedBy: String, lines: [BookEntryRecorded.Line]) {
        self.entryId = entryId
        self.dealerId = dealerId
        self.kind = kind
        self.customer = customer
        self.amountFen = amountFen
        self.refusal = refusal
        self.reference = reference
        self.at = at
        self.recordedBy = recordedBy
        self.lines = lines
    }
}

/// Tier-1 dealers' books (R1) as the core writes them: documents, their lines in the order
/// booked, each material's position at the moving-average cost, and each dealer's settings.
public struct BookTable {
    let db: any SQLDatabase

    public func dealer(_ dealerId: String) throws(StoreError) -> BookDealerState {
        guard let row = try db.first("SELECT allow_negative_stock, last_seq, last_at_ms FROM book_dealers WHERE dealer_id = ?", .text(dealerId)) else {
            return BookDealerState()
        }
        return BookDealerState(allowNegativeStock: row.int64(0) != 0, lastSeq: row.int64(1), lastAtMilliseconds: row.int64(2))
    }

    public func setAllowNegativeStock(_ allowed: Bool, dealerId: String, by: String, at: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO book_dealers (dealer_id, allow_negative_stock, last_seq, last_at_ms, set_by, set_at) VALUES (?, ?, 0, 0, ?, ?)
            ON CONFLICT (dealer_id) DO UPDATE SET allow_negative_stock = excluded.allow_negative_stock, set_by = excluded.set_by, set_at = excluded.set_at
            """, .text(dealerId), .integer(allowed ? 1 : 0), .text(by), .text(at.text))
    }

    /// Sets a dealer's selling prices: each for its customer ('' for the list price), or removed when it has none.
    public func setPrices(_ set: BookPricesSet, at: Timestamp) throws(StoreError) {
        for price in set.prices {
            let customer = SQLValue.text(price.customerId ?? "")
            guard let unitPrice = price.unitPrice else {
                try db.execute("DELETE FROM book_prices WHERE dealer_id = ? AND customer_id = ? AND material_id = ?", .text(set.dealerId), customer, .text(price.materialId))
                continue
            }
            try db.execute("""
                INSERT INTO book_prices (dealer_id, customer_id, material_id, unit_price, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (dealer_id, customer_id, material_id) DO UPDATE SET unit_price = excluded.unit_price, set_by = excluded.set_by, set_at = excluded.set_at
                """, .text(set.dealerId), customer, .text(price.materialId), .text(unitPrice.text), .text(set.setBy), .text(at.text))
        }
    }

    public func documentExists(_ entryId: String) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM book_documents WHERE entry_id = ?", .text(entryId)) != nil
    }

    /// What the dealer's books hold of a material (nothing yet: an empty position).
    public func position(dealerId: String, materialId: String) throws(StoreError) -> BookPosition {
        guard let row = try db.first("SELECT on_hand_milli, value_fen, average_cost_fen FROM book_positions WHERE dealer_id = ? AND material_id = ?",
                                     .text(dealerId), .text(materialId)) else { return BookPosition() }
        return BookPosition(onHandMilli: row.int64(0), valueFen: row.int64(1), averageCostFen: row.string(2).flatMap { Decimal(string: $0) } ?? 0)
    }

    /// Records a document, and when it was booked its lines (numbered on from the dealer's last)
    /// and the positions they leave; the dealer's books move on to the last line.
    public func book(_ document: BookDocumentRow, lines: [BookPostedLine], bookedAtMilliseconds: Int64, state: BookDealerState) throws(StoreError) {
        try db.execute("""
            INSERT INTO book_documents (entry_id, dealer_id, kind, customer_id, customer_name, customer_kind, amount_fen, status, reason, reference, at, at_ms,
                                        recorded_by, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(document.entryId), .text(document.dealerId), .text(document.kind.rawValue), SQLValue(document.customer?.customerId),
            SQLValue(document.customer?.name), SQLValue(document.customer?.kind.rawValue), .integer(document.amountFen),
            .text(document.refusal == nil ? "booked" : "refused"), SQLValue(document.refusal), SQLValue(document.reference), .text(document.at.text),
            .integer(document.at.milliseconds), .text(document.recordedBy), .text(StoredJSON.encode(document.lines)))
        guard document.refusal == nil, !lines.isEmpty else { return }
        var seq = state.lastSeq
        for line in lines {
            seq += 1
            try db.execute("""
                INSERT INTO book_lines (dealer_id, seq, entry_id, kind, material_id, customer_id, booked_at_ms, quantity_milli, revenue_fen, cost_fen, paid_fen,
                                        on_hand_milli_after, value_fen_after)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, .text(document.dealerId), .integer(seq), .text(document.entryId), .text(document.kind.rawValue), .text(line.materialId), .text(document.customer?.customerId ?? ""),
                .integer(bookedAtMilliseconds), .integer(line.quantityMilli), .integer(line.revenueFen), .integer(line.costFen), .integer(line.paidFen),
                .integer(line.after.onHandMilli), .integer(line.after.valueFen))
        }
        // Each material's position is the last line's for it.
        var last: [String: BookPosition] = [:]
        for line in lines where !line.materialId.isEmpty { last[line.materialId] = line.after }
        for (material, position) in last {
            try db.execute("""
                INSERT INTO book_positions (dealer_id, material_id, on_hand_milli, value_fen, average_cost_fen) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (dealer_id, material_id) DO UPDATE SET on_hand_milli = excluded.on_hand_milli, value_fen = excluded.value_fen,
                    average_cost_fen = excluded.average_cost_fen
                """, .text(document.dealerId), .text(material), .integer(position.onHandMilli), .integer(position.valueFen),
                .text(NSDecimalNumber(decimal: position.averageCostFen).stringValue))
        }
        try addToDays(document, lines: lines, bookedAtMilliseconds: bookedAtMilliseconds)
        try db.execute("""
            INSERT INTO book_dealers (dealer_id, allow_negative_stock, last_seq, last_at_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT (dealer_id) DO UPDATE SET last_seq = excluded.last_seq, last_at_ms = excluded.last_at_ms
            """, .text(document.dealerId), .integer(state.allowNegativeStock ? 1 : 0), .integer(seq), .integer(bookedAtMilliseconds))
    }

    /// The day's sums: per material and kind, and the customer's (with what it owes at the day's end). Books never go
    /// back in time, so the customer's latest day is its balance so far.
    private func addToDays(_ document: BookDocumentRow, lines: [BookPostedLine], bookedAtMilliseconds: Int64) throws(StoreError) {
        let day = BookDay.index(ofMilliseconds: bookedAtMilliseconds)
        var sums: [String: (quantity: Int64, revenue: Int64, cost: Int64)] = [:]
        for line in lines where !line.materialId.isEmpty {
            let sum = sums[line.materialId, default: (0, 0, 0)]
            sums[line.materialId] = (sum.quantity + line.quantityMilli, sum.revenue + line.revenueFen, sum.cost + line.costFen)
        }
        for (material, sum) in sums.sorted(by: { $0.key < $1.key }) {
            try db.execute("""
                INSERT INTO book_day_materials (dealer_id, day, material_id, kind, quantity_milli, revenue_fen, cost_fen) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dealer_id, day, material_id, kind) DO UPDATE SET quantity_milli = book_day_materials.quantity_milli + excluded.quantity_milli,
                    revenue_fen = book_day_materials.revenue_fen + excluded.revenue_fen, cost_fen = book_day_materials.cost_fen + excluded.cost_fen
                """, .text(document.dealerId), .integer(day), .text(material), .text(document.kind.rawValue), .integer(sum.quantity), .integer(sum.revenue),
                .integer(sum.cost))
        }
        guard let named = document.customer else { return }
        let customer = named.customerId
        try db.execute("""
            INSERT INTO book_customers (dealer_id, customer_id, name, kind) VALUES (?, ?, ?, ?)
            ON CONFLICT (dealer_id, customer_id) DO UPDATE SET name = COALESCE(excluded.name, book_customers.name), kind = excluded.kind
            """, .text(document.dealerId), .text(customer), SQLValue(named.name), .text(named.kind.rawValue))
        let revenue = lines.reduce(0) { $0 + $1.revenueFen }
        let cost = lines.reduce(0) { $0 + $1.costFen }
        let paid = lines.reduce(0) { $0 + $1.paidFen }
        let sales = document.kind == .sale ? revenue : 0
        let owed = try db.first("SELECT balance_fen FROM book_day_customers WHERE dealer_id = ? AND customer_id = ? ORDER BY day DESC LIMIT 1",
                                .text(document.dealerId), .text(customer))?.int64(0) ?? 0
        try db.execute("""
            INSERT INTO book_day_customers (dealer_id, day, customer_id, revenue_fen, cost_fen, paid_fen, sales_fen, balance_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dealer_id, day, customer_id) DO UPDATE SET revenue_fen = book_day_customers.revenue_fen + excluded.revenue_fen,
                cost_fen = book_day_customers.cost_fen + excluded.cost_fen, paid_fen = book_day_customers.paid_fen + excluded.paid_fen,
                sales_fen = book_day_customers.sales_fen + excluded.sales_fen, balance_fen = excluded.balance_fen
            """, .text(document.dealerId), .integer(day), .text(customer), .integer(revenue), .integer(cost), .integer(paid), .integer(sales),
            .integer(owed + revenue - paid))
    }
}
