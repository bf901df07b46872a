public import HubDomain
public import Foundation
import HubContracts

/// A dealer's own stock (客户库存) as its system reported it, each material in litres and kilograms
/// (the material master's per unit), with what the dealer sold of it in the last
/// ``CustomerStock/windowDays`` days (sell-through, the litres fixed when each record came).
public struct CustomerStockReadModel {
    let db: any SQLDatabase

    public func stock(of dealerId: String, at now: Date) throws(StoreError) -> CustomerStock {
        let since = Int64((now.timeIntervalSince1970 - Double(CustomerStock.windowDays) * 86_400) * 1_000)
        let sold = try db.query("""
            SELECT material_id, CAST(SUM(sold_ml) AS BIGINT), CAST(SUM(sold_g) AS BIGINT) FROM sell_through
            WHERE dealer_id = ? AND sold_at_ms >= ? AND sold_ml IS NOT NULL GROUP BY material_id
            """, .text(dealerId), .integer(since))
        var soldBy: [String: (ml: Int64, g: Int64)] = [:]
        for row in sold { soldBy[row.string(0) ?? ""] = (row.int64(1), row.int64(2)) }
        let materials = try db.query("""
            SELECT s.material_id, m.name, s.on_hand, s.as_of, m.volume_l, m.net_weight_kg
            FROM dealer_stock s LEFT JOIN materials m ON m.material_id = s.material_id WHERE s.dealer_id = ? ORDER BY s.material_id
            """, .text(dealerId)).map { row -> CustomerStock.Material in
            let onHand = row.string(2).flatMap(DecimalNumber.init)?.value ?? 0
            let perUnit = { (column: Int) in row.string(column).flatMap(DecimalNumber.init).map { MinorUnits.whole(onHand * $0.value, scale: 3) } ?? 0 }
            let materialId = row.string(0) ?? ""
            return CustomerStock.Material(materialId: materialId, name: row.string(1), onHand: onHand,
                                          asOf: row.string(3).flatMap(Timestamp.init(parsing:))?.date, millilitres: perUnit(4), grams: perUnit(5),
                                          soldMillilitres: soldBy[materialId]?.ml ?? 0, soldGrams: soldBy[materialId]?.g ?? 0)
        }
        return CustomerStock(materials: materials, soldMillilitres: soldBy.values.reduce(0) { $0 + $1.ml }, soldGrams: soldBy.values.reduce(0) { $0 + $1.g })
    }

    /// The stock of every dealer a scope holds now — a branch's, a sales rep's, a province's
    /// dealers through their index, the company's every dealer — one total per dealer
    /// (`dealer_stock_totals`), against the sell-through of the last ``CustomerStock/windowDays``
    /// days counted for the scope (whom each record counted for when it came), from a covering index.
    /// Nil for a scope that holds no dealers (a plant, a carrier, a dealer: ``stock(of:at:)``).
    public func total(_ scope: AnalyticsScope, _ id: String, at now: Date) throws(StoreError) -> CustomerStock? {
        let since = Int64((now.timeIntervalSince1970 - Double(CustomerStock.windowDays) * 86_400) * 1_000)
        // The columns naming the scope's dealers and its sell-through; nil for the company (every dealer, every record).
        let columns: (dealers: String, sellThrough: String)?
        switch scope {
        case .branch: columns = ("branch_id", "dealer_branch_id")
        case .salesRep: columns = ("sales_rep_id", "dealer_sales_rep_id")
        case .province: columns = ("province", "dealer_province")
        case .company: columns = nil
        case .dealer, .plant, .carrier: return nil
        }
        let totals = "SELECT CAST(COALESCE(SUM(t.stock_ml), 0) AS BIGINT), CAST(COALESCE(SUM(t.stock_g), 0) AS BIGINT), MAX(t.as_of) FROM dealer_stock_totals t"
        let sums = "SELECT CAST(COALESCE(SUM(sold_ml), 0) AS BIGINT), CAST(COALESCE(SUM(sold_g), 0) AS BIGINT) FROM sell_through"
        let (stock, sold) = if let columns {
            (try db.first("\(totals) JOIN dealers d ON d.dealer_id = t.dealer_id WHERE d.\(columns.dealers) = ?", .text(id)),
             try db.first("\(sums) WHERE \(columns.sellThrough) = ? AND sold_at_ms >= ?", .text(id), .integer(since)))
        } else {
            (try db.first(totals), try db.first("\(sums) WHERE sold_at_ms >= ?", .integer(since)))
        }
        return CustomerStock(millilitres: stock?.int64(0) ?? 0, grams: stock?.int64(1) ?? 0, soldMillilitres: sold?.int64(0) ?? 0,
                             soldGrams: sold?.int64(1) ?? 0, asOf: stock?.string(2).flatMap(Timestamp.init(parsing:))?.date)
    }
}
