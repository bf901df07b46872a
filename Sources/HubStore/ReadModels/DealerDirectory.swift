public import Foundation
public import HubContracts

/// Staff's dealer directory (R1): dealers searched and paged within the caller's scope, and a
/// dealer's page — its tier-2 dealers, credit limit and exposure, last order, orders this month
/// and year. A tier-1 dealer finds itself and its tier-2 dealers; a tier-2 dealer only itself.
public struct DealerDirectory {
    let db: any SQLDatabase

    /// Who reads the directory: staff by their visibility, or a dealer (itself and, for a tier-1,
    /// its tier-2 dealers).
    public enum Reader: Sendable, Equatable {
        case staff(DealerVisibility)
        case dealer(String)
    }

    public struct Filter: Sendable, Equatable {
        /// Part of the name or the id.
        public var text: String?
        public var province: String?
        public var city: String?
        public var tier: String?
        public var parentDealerId: String?
        public var salesRepId: String?
        public var branchId: String?
        public var status: String?
        public var groupId: String?
        /// Buys this product line (has a customer class in it).
        public var productLine: String?
        /// Has this customer class — in ``productLine`` when given, else in any line.
        public var customerClass: String?
        /// Exactly this dealer.
        public var dealerId: String?
        public var limit = 50
        public var offset = 0
        public init() {}
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var dealerId: String
        public var name: String
        public var tier: String
        public var parentDealerId: String?
        public var branchId: String
        public var province: String
        public var city: String?
        public var salesRepId: String?
        public var status: String
        public var groups: [String]
        /// The ERP's customer class per product line the dealer buys (KNVV KDGRP), by line.
        public var customerClasses: [DealerUpserted.ProductLineClass]
    }

    /// The condition a reader's scope puts on the dealers table `d`.
    static func scope(_ reader: Reader) -> (sql: String, binds: [SQLValue]) {
        switch reader {
        case .staff(let visibility): visibility.condition(on: "d.dealer_id")
        case .dealer(let dealerId): ("(d.dealer_id = ? OR d.parent_dealer_id = ?)", [.text(dealerId), .text(dealerId)])
        }
    }

    /// A page of the dealers `reader` may see that match `filter`, by id, and how many match.
    public func search(_ filter: Filter, as reader: Reader) throws(StoreError) -> (entries: [Entry], total: Int) {
        let (scopeSQL, scopeBinds) = Self.scope(reader)
        var conditions = [scopeSQL]
        var binds = scopeBinds
        func equal(_ column: String, _ value: String?) {
            guard let value else { return }
            conditions.append("\(column) = ?")
            binds.append(.text(value))
        }
        equal("d.dealer_id", filter.dealerId)
        equal("d.province", filter.province)
        equal("d.city", filter.city)
        equal("d.tier", filter.tier)
        equal("d.parent_dealer_id", filter.parentDealerId)
        equal("d.sales_rep_id", filter.salesRepId)
        equal("d.branch_id", filter.branchId)
        equal("d.status", filter.status)
        if let group = filter.groupId {
            conditions.append("d.dealer_id IN (SELECT dealer_id FROM dealer_groups WHERE group_id = ?)")
            binds.append(.text(group))
        }
        if filter.productLine != nil || filter.customerClass != nil {
            var line: [String] = []
            if let productLine = filter.productLine { line.append("l.product_line = ?"); binds.append(.text(productLine)) }
            if let customerClass = filter.customerClass { line.append("l.customer_class = ?"); binds.append(.text(customerClass)) }
            conditions.append("d.dealer_id IN (SELECT l.dealer_id FROM dealer_product_lines l WHERE \(line.joined(separator: " AND ")))")
        }
        if let text = filter.text, !text.isEmpty {
            let pattern = LikePattern.containing(text)
            conditions.append("(d.name LIKE ? ESCAPE '\\' OR d.dealer_id LIKE ? ESCAPE '\\')")
            binds += [.text(pattern), .text(pattern)]
        }
        let clause = conditions.joined(separator: " AND ")
        let total = try db.query("SELECT COUNT(*) FROM dealers d WHERE \(clause)", binds).first?.int(0) ?? 0
        let rows = try db.query("""
            SELECT d.dealer_id, d.name, d.tier, d.parent_dealer_id, d.branch_id, d.province, d.city, d.sales_rep_id, d.status
            FROM dealers d WHERE \(clause) ORDER BY d.dealer_id LIMIT ? OFFSET ?
            """, binds + [.integer(Int64(filter.limit)), .integer(Int64(filter.offset))])
        var entries = rows.map { row in
            Entry(dealerId: row.string(0) ?? "", name: row.string(1) ?? "", tier: row.string(2) ?? "", parentDealerId: row.string(3),
                  branchId: row.string(4) ?? "", province: row.string(5) ?? "", city: row.string(6), salesRepId: row.string(7),
                  status: row.string(8) ?? "", groups: [], customerClasses: [])
        }
        if !entries.isEmpty {
            var groups: [String: [String]] = [:]
            for row in try db.query("SELECT dealer_id, group_id FROM dealer_groups WHERE dealer_id IN (\(SQLText.placeholders(entries.count))) ORDER BY group_id",
                                    entries.map { .text($0.dealerId) }) {
                groups[row.string(0) ?? "", default: []].append(row.string(1) ?? "")
            }
            var classes: [String: [DealerUpserted.ProductLineClass]] = [:]
            for row in try db.query("""
                SELECT dealer_id, product_line, customer_class FROM dealer_product_lines WHERE dealer_id IN (\(SQLText.placeholders(entries.count)))
                ORDER BY product_line
                """, entries.map { .text($0.dealerId) }) {
                classes[row.string(0) ?? "", default: []].append(.init(productLine: ProductLine(rawValue: row.string(1) ?? ""), customerClass: row.string(2) ?? ""))
            }
            for index in entries.indices {
                entries[index].groups = groups[entries[index].dealerId] ?? []
                entries[index].customerClasses = classes[entries[index].dealerId] ?? []
            }
        }
        return (entries, total)
    }

    /// A dealer's page.
    public struct Page: Sendable, Equatable, Codable {
        public struct OrderSummary: Sendable, Equatable, Codable {
            public var orderId: String
            public var status: String
            public var total: String?
            public var submittedAt: String
        }
        public struct Period: Sendable, Equatable, Codable {
            public var from: String
            public var orders: Int
            public var value: String
        }

        public var dealer: Entry
        public var creditLimit: String
        public var currency: String
        /// Orders accepted, not yet delivered nor invoiced: what the dealer will owe once they are.
        public var openOrderValue: String
        public var openOrders: Int
        /// What it owes on the ERP's invoices not yet cleared (less open credit memos).
        public var openInvoiceValue: String
        /// The credit limit less the open order and invoice values.
        public var availableCredit: String
        public var lastOrder: OrderSummary?
        public var thisMonth: Period
        public var thisYear: Period
        public var tier2Dealers: [Entry]
    }

    /// Open: accepted and on its way, not yet delivered.
    static let openStatuses = ["accepted", "confirmed", "scheduled", "produced", "allocated", "dispatched"]

    /// The page of `dealerId` when `reader` may see it. Months and years start in China's time (UTC+8).
    public func page(_ dealerId: String, as reader: Reader, now: Date = Date()) throws(StoreError) -> Page? {
        var only = Filter()
        only.dealerId = dealerId
        guard let dealer = try search(only, as: reader).entries.first,
              let row = try db.first("SELECT credit_limit, currency FROM dealers WHERE dealer_id = ?", .text(dealerId)) else { return nil }
        let creditLimit = DecimalNumber(row.string(0) ?? "0") ?? DecimalNumber(0)
        let open = try OrderTable(db: db).uninvoicedTotals(dealerId: dealerId, statuses: Self.openStatuses.map(OrderStatus.init(rawValue:)))
        let openValue = open.reduce(Decimal(0)) { $0 + $1.value }
        let invoiced = try InvoiceReadModel(db: db).openValue(dealerId: dealerId)
        let last = try db.first("SELECT order_id, status, total, submitted_at FROM orders WHERE dealer_id = ? ORDER BY submitted_at DESC, order_id DESC LIMIT 1",
                                .text(dealerId))
            .map { Page.OrderSummary(orderId: $0.string(0) ?? "", status: $0.string(1) ?? "", total: $0.string(2), submittedAt: $0.string(3) ?? "") }
        let (monthStart, yearStart) = Self.periodStarts(now)
        func period(from start: String) throws(StoreError) -> Page.Period {
            let rows = try db.query("SELECT total FROM orders WHERE dealer_id = ? AND submitted_at >= ? AND status <> 'rejected'", .text(dealerId), .text(start))
            let value = rows.reduce(Decimal(0)) { $0 + (DecimalNumber($1.string(0) ?? "")?.value ?? 0) }
            return Page.Period(from: start, orders: rows.count, value: DecimalNumber(value).text)
        }
        var children = Filter()
        children.parentDealerId = dealerId
        children.limit = 500
        let tier2 = dealer.tier == DealerTier.tier1.rawValue ? try search(children, as: .dealer(dealerId)).entries : []
        return Page(dealer: dealer, creditLimit: creditLimit.text, currency: row.string(1) ?? "CNY", openOrderValue: DecimalNumber(openValue).text,
                    openOrders: open.count, openInvoiceValue: DecimalNumber(invoiced).text,
                    availableCredit: DecimalNumber(creditLimit.value - openValue - invoiced).text, lastOrder: last,
                    thisMonth: try period(from: monthStart), thisYear: try period(from: yearStart), tier2Dealers: tier2)
    }

    /// The first instants (UTC, as stored) of the month and the year `now` is in, in China's time.
    static func periodStarts(_ now: Date) -> (month: String, year: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
        let parts = calendar.dateComponents([.year, .month], from: now)
        let month = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: 1)) ?? now
        let year = calendar.date(from: DateComponents(year: parts.year, month: 1, day: 1)) ?? now
        return (Timestamp(month).text, Timestamp(year).text)
    }
}
