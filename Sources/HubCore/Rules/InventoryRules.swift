import HubContracts
import HubStore
import Foundation

/// Stock per warehouse × location × material: on hand, reserved, available (= on hand − reserved).
/// Movements change on hand; an ERP snapshot sets it and records the difference as an adjustment,
/// so on hand always equals the sum of its movements and adjustments.
enum InventoryRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let (stock, movements) = (context.tables.stock, context.tables.movements)
        switch context.event.data {
        case .inventoryMoved(let moved):
            guard try !movements.exists(moved.movementId) else { return .applied }  // the same movement under another event id
            let place = StockPlace(warehouseId: moved.warehouseId, locationId: moved.locationId ?? "", materialId: moved.materialId)
            let onHand = try stock.onHand(at: place)?.onHand.value ?? 0
            try stock.setOnHand(at: place, to: DecimalNumber(onHand + moved.quantity.value), asOf: nil)
            try movements.insert(InventoryMovementRecord(movementId: moved.movementId, place: place, quantity: moved.quantity, kind: moved.kind,
                                                         reference: moved.reference, at: context.event.occurredAt))
            return .applied
        case .stockSnapshot(let snapshot):
            let place = StockPlace(warehouseId: snapshot.warehouseId, locationId: snapshot.locationId ?? "", materialId: snapshot.materialId)
            let held = try stock.onHand(at: place)
            if let asOf = held?.asOf, asOf >= snapshot.asOf {
                return .applied  // an older (or the same) snapshot never overwrites a newer one
            }
            let difference = snapshot.onHand.value - (held?.onHand.value ?? 0)
            try stock.setOnHand(at: place, to: snapshot.onHand, asOf: snapshot.asOf)
            if difference != 0 {
                try movements.insert(InventoryMovementRecord(movementId: "adjustment:\(context.event.id)", place: place, quantity: DecimalNumber(difference),
                                                             kind: .adjustment, reference: "snapshot \(snapshot.asOf.text)", at: snapshot.asOf))
            }
            return .applied
        default:
            return .notHandled
        }
    }

    /// Adds `delta` to what is reserved at `place` (negative to release); never below zero.
    static func changeReserved(at place: StockPlace, by delta: Decimal, in stock: StockTable) throws(StoreError) {
        guard let current = try stock.reserved(at: place) else {
            throw StoreError(.corrupt, "a reservation refers to stock \(place.warehouseId)/\(place.locationId)/\(place.materialId) that does not exist")
        }
        try stock.setReserved(at: place, to: DecimalNumber(max(current.value + delta, 0)))
    }
}
