public import HubContracts
import HubDomain

/// The dealers' sell-through records (流向) as the core keeps them: one row per dealer and record
/// id. A record the dealer's system sends again under the same id is its correction and replaces
/// what was kept (its place in the list stays).
public struct SellThroughTable {
    let db: any SQLDatabase

    public func record(_ record: SellThroughRecorded) throws(StoreError) {
        try db.execute("""
            INSERT INTO sell_through (dealer_id, record_id, material_id, quantity, sold_at, sold_at_ms, customer_kind, customer_id, province, city, unit_price)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dealer_id, record_id) DO UPDATE SET material_id = excluded.material_id, quantity = excluded.quantity,
                sold_at = excluded.sold_at, sold_at_ms = excluded.sold_at_ms, customer_kind = excluded.customer_kind,
                customer_id = excluded.customer_id, province = excluded.province, city = excluded.city, unit_price = excluded.unit_price
            """,
            .text(record.dealerId), .text(record.recordId), .text(record.materialId), .text(record.quantity.text), .text(record.soldAt.text),
            .integer(record.soldAt.milliseconds), .text(record.customer.kind.rawValue), SQLValue(record.customer.id),
            .text(record.customer.region.province), SQLValue(record.customer.region.city), SQLValue(record.unitPrice?.text))
        // For the figures, fixed now: whom it counts for (the dealer as it is), its product line and its litres and
        // kilograms (the material's per unit; none known: 0).
        let material = try db.first("SELECT product_line, volume_l, net_weight_kg FROM materials WHERE material_id = ?", .text(record.materialId))
        let perUnit = { (column: Int) in material?.string(column).flatMap(DecimalNumber.init).map { MinorUnits.whole(record.quantity.value * $0.value, scale: 3) } ?? 0 }
        try db.execute("""
            UPDATE sell_through SET (dealer_branch_id, dealer_sales_rep_id, dealer_province) =
                (SELECT d.branch_id, d.sales_rep_id, d.province FROM dealers d WHERE d.dealer_id = ?),
                product_line = ?, sold_ml = ?, sold_g = ?
            WHERE dealer_id = ? AND record_id = ?
            """, .text(record.dealerId), .text(material?.string(0) ?? "?"), .integer(perUnit(1)), .integer(perUnit(2)),
            .text(record.dealerId), .text(record.recordId))
    }
}
