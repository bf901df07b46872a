public import HubContracts

/// Where stock is: a warehouse, a storage location in it (`""` for none) and a material.
public struct StockPlace: Sendable, Hashable {
    public var warehouseId: String
    public var locationId: String
    public var materialId: String

    public init(warehouseId: String, locationId: String, materialId: String) {
        self.warehouseId = warehouseId
        self.locationId = locationId
        self.materialId = materialId
    }
}

/// The company's stock per warehouse × location × material: on hand, reserved, and the time of
/// the ERP snapshot it was last set from.
public struct StockTable {
    let db: any SQLDatabase

    /// On hand and the time of the snapshot it was last set from; `nil` when the place holds no row.
    public func onHand(at place: StockPlace) throws(StoreError) -> (onHand: DecimalNumber, asOf: Timestamp?)? {
        try db.first("SELECT on_hand, as_of FROM stock WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                     .text(place.warehouseId), .text(place.locationId), .text(place.materialId)).map {
            ($0.string(0).flatMap(DecimalNumber.init) ?? DecimalNumber(0), $0.string(1).flatMap(Timestamp.init(parsing:)))
        }
    }

    /// Sets on hand (making the row if needed); `asOf` (a snapshot's time) replaces the stored one when given.
    public func setOnHand(at place: StockPlace, to onHand: DecimalNumber, asOf: Timestamp?) throws(StoreError) {
        try db.execute("""
            INSERT INTO stock (warehouse_id, location_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (warehouse_id, location_id, material_id) DO UPDATE SET on_hand = excluded.on_hand,
                as_of = COALESCE(excluded.as_of, stock.as_of)
            """, .text(place.warehouseId), .text(place.locationId), .text(place.materialId), .text(onHand.text), SQLValue(asOf?.text))
    }

    /// What is reserved; `nil` when the place holds no row.
    public func reserved(at place: StockPlace) throws(StoreError) -> DecimalNumber? {
        try db.first("SELECT reserved FROM stock WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                     .text(place.warehouseId), .text(place.locationId), .text(place.materialId))
            .map { $0.string(0).flatMap(DecimalNumber.init) ?? DecimalNumber(0) }
    }

    public func setReserved(at place: StockPlace, to reserved: DecimalNumber) throws(StoreError) {
        try db.execute("UPDATE stock SET reserved = ? WHERE warehouse_id = ? AND location_id = ? AND material_id = ?",
                       .text(reserved.text), .text(place.warehouseId), .text(place.locationId), .text(place.materialId))
    }
}
