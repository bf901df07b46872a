public import HubContracts
import Foundation

/// A tier-1 dealer's figures for a period (R1, 进销存报表): per material its stock at the start and
/// end with their value, what came in and went out, sales, cost of sales and gross margin; per
/// customer its sales, margin, payments and what it owes with the ageing; and the totals.
/// Money in yuan with two decimals, quantities as plain decimals.
///
/// Formulas (fen, summed over the period's lines):
/// - purchases = value of goods in from the company; returns to the company = cost of what went back;
/// - sales = prices charged less prices refunded on customers' returns; cost of sales = the
///   moving-average cost of what was sold less that of what came back; gross margin = sales − cost;
///   margin rate = margin ÷ sales (none without sales);
/// - adjustments = the value stock counts added (surplus) or took (shortage);
/// - closing value = opening + purchases − returns to the company − cost of sales + adjustments
///   (always, to the fen);
/// - a customer owes everything sold to it less refunds and payments up to the period's end, aged
///   by ``ReceivableAgeing``.
public struct BookReport: Codable, Sendable, Equatable {
    public struct Material: Codable, Sendable, Equatable {
        public var materialId: String
        public var name: String?
        public var openingQuantity: String
        public var openingValue: String
        public var purchasedQuantity: String
        public var purchases: String
        public var returnedToCompanyQuantity: String
        public var returnsToCompany: String
        /// Sold less returned by customers.
        public var soldQuantity: String
        public var sales: String
        public var costOfSales: String
        public var grossMargin: String
        /// Percent, one decimal; nil without sales.
        public var grossMarginRate: String?
        public var adjustedQuantity: String
        public var adjustments: String
        public var closingQuantity: String
        public var closingValue: String
        /// Closing value ÷ closing quantity, per unit; nil with nothing on hand.
        public var averageCost: String?
    }

    public struct Customer: Codable, Sendable, Equatable {
        public var customerId: String
        public var name: String?
        public var kind: String?
        public var sales: String
        public var costOfSales: String
        public var grossMargin: String
        public var payments: String
        /// Owed at the period's end, with its ageing.
        public var receivable: String
        public var days0to30: String
        public var days31to60: String
        public var days61to90: String
        public var over90: String
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var openingValue: String
        public var purchases: String
        public var returnsToCompany: String
        public var sales: String
        public var costOfSales: String
        public var grossMargin: String
        public var grossMarginRate: String?
        public var adjustments: String
        public var closingValue: String
        public var payments: String
        public var receivables: String
        public var receivablesOver90: String
    }

    public var dealerId: String
    public var from: String
    public var to: String
    public var materials: [Material]
    public var customers: [Customer]
    public var totals: Totals
    /// What the dealer owed the company at the period's end: the ERP's invoices less credit memos and clearings
    /// dated before the day the period ends on (China dates).
    public var payables: String?
}

/// Builds a ``BookReport`` from the sums the store adds up (all in fen and thousandths).
public struct BookReportBuilder: Sendable {
    /// One material's lines of one kind in the period, added up.
    public struct KindSums: Sendable, Equatable {
        public var materialId: String
        public var kind: BookEntryKind
        public var quantityMilli: Int64
        public var revenueFen: Int64
        public var costFen: Int64

        public init(materialId: String, kind: BookEntryKind, quantityMilli: Int64, revenueFen: Int64, costFen: Int64) {
            (self.materialId, self.kind, self.quantityMilli, self.revenueFen, self.costFen) = (materialId, kind, quantityMilli, revenueFen, costFen)
        }
    }

    /// One customer's lines in the period, added up, and what it owed at the end.
    public struct CustomerSums: Sendable, Equatable {
        public var customerId: String
        public var name: String?
        public var kind: String?
        public var revenueFen: Int64
        public var costFen: Int64
        public var paidFen: Int64
        public var ageing: ReceivableAgeing

        public init(customerId: String, name: String?, kind: String?, revenueFen: Int64, costFen: Int64, paidFen: Int64, ageing: ReceivableAgeing) {
            (self.customerId, self.name, self.kind, self.revenueFen, self.costFen, self.paidFen, self.ageing) =
                (customerId, name, kind, revenueFen, costFen, paidFen, ageing)
        }
    }

    public var dealerId: String
    public var from: Timestamp
    public var to: Timestamp

    public init(dealerId: String, from: Timestamp, to: Timestamp) {
        (self.dealerId, self.from, self.to) = (dealerId, from, to)
    }

    public func report(kinds: [KindSums], opening: [String: BookPosition], closing: [String: BookPosition], names: [String: String],
                       customers: [CustomerSums], payablesFen: Int64? = nil) -> BookReport {
        struct Figures { var purchasedQ: Int64 = 0, purchases: Int64 = 0, returnedQ: Int64 = 0, returns: Int64 = 0, soldQ: Int64 = 0, sales: Int64 = 0,
                         cost: Int64 = 0, adjustedQ: Int64 = 0, adjustments: Int64 = 0 }
        var figures: [String: Figures] = [:]
        for sums in kinds {
            var figure = figures[sums.materialId, default: Figures()]
            switch sums.kind {
            case .purchase: (figure.purchasedQ, figure.purchases) = (figure.purchasedQ + sums.quantityMilli, figure.purchases + sums.costFen)
            case .returnToCompany: (figure.returnedQ, figure.returns) = (figure.returnedQ - sums.quantityMilli, figure.returns - sums.costFen)
            case .sale, .customerReturn:
                figure.soldQ -= sums.quantityMilli
                figure.sales += sums.revenueFen
                figure.cost -= sums.costFen
            case .stockCount: (figure.adjustedQ, figure.adjustments) = (figure.adjustedQ + sums.quantityMilli, figure.adjustments + sums.costFen)
            default: break
            }
            figures[sums.materialId] = figure
        }
        let materialIds = Set(figures.keys).union(opening.keys).union(closing.keys).sorted()
        var total = Figures()
        var (openingValue, closingValue): (Int64, Int64) = (0, 0)
        let materials = materialIds.map { material -> BookReport.Material in
            let figure = figures[material] ?? Figures()
            let start = opening[material] ?? BookPosition()
            let end = closing[material] ?? BookPosition()
            total.purchases += figure.purchases
            total.returns += figure.returns
            total.sales += figure.sales
            total.cost += figure.cost
            total.adjustments += figure.adjustments
            openingValue += start.valueFen
            closingValue += end.valueFen
            return BookReport.Material(
                materialId: material, name: names[material], openingQuantity: BookQuantity.text(start.onHandMilli), openingValue: Self.money(start.valueFen),
                purchasedQuantity: BookQuantity.text(figure.purchasedQ), purchases: Self.money(figure.purchases),
                returnedToCompanyQuantity: BookQuantity.text(figure.returnedQ), returnsToCompany: Self.money(figure.returns),
                soldQuantity: BookQuantity.text(figure.soldQ), sales: Self.money(figure.sales), costOfSales: Self.money(figure.cost),
                grossMargin: Self.money(figure.sales - figure.cost), grossMarginRate: Self.rate(figure.sales - figure.cost, of: figure.sales),
                adjustedQuantity: BookQuantity.text(figure.adjustedQ), adjustments: Self.money(figure.adjustments),
                closingQuantity: BookQuantity.text(end.onHandMilli), closingValue: Self.money(end.valueFen),
                averageCost: end.onHandMilli > 0 ? Self.money(BookPosition.fen(Decimal(end.valueFen) * 1_000 / Decimal(end.onHandMilli))) : nil)
        }
        let customerLines = customers.sorted { $0.customerId < $1.customerId }.map { sums in
            BookReport.Customer(customerId: sums.customerId, name: sums.name, kind: sums.kind, sales: Self.money(sums.revenueFen),
                                costOfSales: Self.money(-sums.costFen), grossMargin: Self.money(sums.revenueFen + sums.costFen), payments: Self.money(sums.paidFen),
                                receivable: Self.money(sums.ageing.balanceFen), days0to30: Self.money(sums.ageing.days0to30Fen),
                                days31to60: Self.money(sums.ageing.days31to60Fen), days61to90: Self.money(sums.ageing.days61to90Fen),
                                over90: Self.money(sums.ageing.over90Fen))
        }
        let totals = BookReport.Totals(
            openingValue: Self.money(openingValue), purchases: Self.money(total.purchases), returnsToCompany: Self.money(total.returns),
            sales: Self.money(total.sales), costOfSales: Self.money(total.cost), grossMargin: Self.money(total.sales - total.cost),
            grossMarginRate: Self.rate(total.sales - total.cost, of: total.sales), adjustments: Self.money(total.adjustments),
            closingValue: Self.money(closingValue), payments: Self.money(customers.reduce(0) { $0 + $1.paidFen }),
            receivables: Self.money(customers.reduce(0) { $0 + $1.ageing.balanceFen }), receivablesOver90: Self.money(customers.reduce(0) { $0 + $1.ageing.over90Fen }))
        return BookReport(dealerId: dealerId, from: from.text, to: to.text, materials: materials, customers: customerLines, totals: totals,
                          payables: payablesFen.map(Self.money))
    }

    /// Fen as yuan with two decimals.
    public static func money(_ fen: Int64) -> String { MinorUnits.text(fen, scale: 2) }

    /// `part` ÷ `whole` as a percent with one decimal; nil when `whole` is 0.
    static func rate(_ part: Int64, of whole: Int64) -> String? {
        guard whole != 0 else { return nil }
        return MinorUnits.text(BookPosition.fen(Decimal(part) * 1_000 / Decimal(whole)), scale: 1)
    }
}
