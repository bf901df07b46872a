public import HubContracts

/// The carriers' trucks and the terminal in each.
public struct VehicleTable {
    let db: any SQLDatabase

    public func upsert(_ vehicle: VehicleRegistered) throws(StoreError) {
        try TableWrites.upsert("vehicles", key: ["vehicle_id"], columns: [
            "vehicle_id": .text(vehicle.vehicleId), "carrier_id": .text(vehicle.carrierId), "plate": .text(vehicle.plate),
            "terminal_id": .text(vehicle.terminalId),
        ], in: db)
    }

    /// Whose vehicle `vehicleId` is; `nil` when it is not registered.
    public func owner(of vehicleId: String) throws(StoreError) -> String? {
        try db.first("SELECT carrier_id FROM vehicles WHERE vehicle_id = ?", .text(vehicleId))?.string(0)
    }

    /// The vehicle a terminal is registered in, and its carrier; `nil` when no vehicle has it.
    public func holder(ofTerminal terminalId: String) throws(StoreError) -> (vehicleId: String, carrierId: String)? {
        try db.first("SELECT vehicle_id, carrier_id FROM vehicles WHERE terminal_id = ? ORDER BY vehicle_id LIMIT 1", .text(terminalId)).map {
            ($0.string(0) ?? "", $0.string(1) ?? "")
        }
    }
}
