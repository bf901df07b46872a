public import HubContracts

/// One change of stock on hand.
public struct InventoryMovementRecord: Sendable {
    public var movementId: String
    public var place: StockPlace
    public var quantity: DecimalNumber
    public var kind: MovementKind
    public var reference: String?
    public var at: Timestamp

    public init(movementId: String, place: StockPlace, quantity: DecimalNumber, kind: MovementKind, reference: String?, at: Timestamp) {
        self.movementId = movementId
        self.place = place
        self.quantity = quantity
        self.kind = kind
        self.reference = reference
        self.at = at
    }
}

/// Every change of stock on hand: movements from the ERP and the adjustments snapshots make, so
/// on hand always equals the sum of its movements and adjustments.
public struct InventoryMovementTable {
    let db: any SQLDatabase

    public func exists(_ movementId: String) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM inventory_movements WHERE movement_id = ?", .text(movementId)) != nil
    }

    /// Records a movement; one already recorded under its id stays as it was.
    public func insert(_ movement: InventoryMovementRecord) throws(StoreError) {
        try db.execute("""
            INSERT INTO inventory_movements (movement_id, warehouse_id, location_id, material_id, quantity, kind, reference, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(movement.movementId), .text(movement.place.warehouseId), .text(movement.place.locationId), .text(movement.place.materialId),
            .text(movement.quantity.text), .text(movement.kind.rawValue), SQLValue(movement.reference), .text(movement.at.text))
    }
}
