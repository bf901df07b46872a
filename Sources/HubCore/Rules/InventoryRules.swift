import HubContracts
import HubStore
import Foundation

/// Stock per warehouse × location × material: on hand, reserved, available (= on hand − reserved).
/// Movements change on hand; an ERP snapshot sets it and records the difference as an adjustment,
/// so on hand always equals the sum of its movements and adjustments.
enum InventoryRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let db = context.db
        switch context.event.data {
        case let moved as InventoryMoved:
            let location = moved.locationId ?? ""
            if try db.first("SELECT 1 FROM inventory_movements WHERE movement_id = ?", .text(moved.movementId)) != nil {
                return .applied  // the same movement under another event id
            }
            let onHand = try currentOnHand(moved.warehouseId, location, moved.materialId, in: db) ?? 0
            try setOnHand(moved.warehouseId, location, moved.materialId, to: onHand + moved.quantity.value, asOf: nil, in: db)
            try db.execute("""
                INSERT INTO inventory_movements (movement_id, warehouse_id, location_id, material_id, quantity, kind, reference, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, .text(moved.movementId), .text(moved.warehouseId), .text(location), .text(moved.materialId), .text(moved.quantity.text),
                .text(moved.kind.rawValue), SQLValue(moved.reference), .text(context.event.occurredAt.text))
            return .applied
        case let snapshot as StockSnapshot:
            let location = snapshot.locationId ?? ""
            let row = try db.first("SELECT on_hand, as_of FROM stock WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                                   .text(snapshot.warehouseId), .text(location), .text(snapshot.materialId))
            if let asOf = row?.string(1).flatMap(Timestamp.init(parsing:)), asOf >= snapshot.asOf {
                return .applied  // an older (or the same) snapshot never overwrites a newer one
            }
            let before = row.map { Decimal(stored: $0.string(0)) } ?? 0
            let difference = snapshot.onHand.value - before
            try setOnHand(snapshot.warehouseId, location, snapshot.materialId, to: snapshot.onHand.value, asOf: snapshot.asOf.text, in: db)
            if difference != 0 {
                try db.execute("""
                    INSERT INTO inventory_movements (movement_id, warehouse_id, location_id, material_id, quantity, kind, reference, at)
                    VALUES (?, ?, ?, ?, ?, 'adjustment', ?, ?) ON CONFLICT DO NOTHING
                    """, .text("adjustment:\(context.event.id)"), .text(snapshot.warehouseId), .text(location), .text(snapshot.materialId),
                    .text(difference.stored), .text("snapshot \(snapshot.asOf.text)"), .text(snapshot.asOf.text))
            }
            return .applied
        default:
            return .notHandled
        }
    }

    static func currentOnHand(_ warehouseId: String, _ locationId: String, _ materialId: String, in db: any SQLDatabase) throws(StoreError) -> Decimal? {
        try db.first("SELECT on_hand FROM stock WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                     .text(warehouseId), .text(locationId), .text(materialId)).map { Decimal(stored: $0.string(0)) }
    }

    private static func setOnHand(_ warehouseId: String, _ locationId: String, _ materialId: String, to onHand: Decimal, asOf: String?,
                                  in db: any SQLDatabase) throws(StoreError) {
        try db.execute("""
            INSERT INTO stock (warehouse_id, location_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (warehouse_id, location_id, material_id) DO UPDATE SET on_hand = excluded.on_hand,
                as_of = COALESCE(excluded.as_of, stock.as_of)
            """, .text(warehouseId), .text(locationId), .text(materialId), .text(onHand.stored), SQLValue(asOf))
    }

    /// Adds `delta` to what is reserved (negative to release); never below zero.
    static func changeReserved(warehouseId: String, locationId: String, materialId: String, by delta: Decimal, in db: any SQLDatabase) throws(StoreError) {
        let current = try db.first("SELECT reserved FROM stock WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                                   .text(warehouseId), .text(locationId), .text(materialId)).map { Decimal(stored: $0.string(0)) }
        guard let current else {
            throw StoreError(.corrupt, "a reservation refers to stock \(warehouseId)/\(locationId)/\(materialId) that does not exist")
        }
        try db.execute("UPDATE stock SET reserved = ? WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                       .text(max(current + delta, 0).stored), .text(warehouseId), .text(locationId), .text(materialId))
    }
}
