public import HubContracts

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
    }
}
