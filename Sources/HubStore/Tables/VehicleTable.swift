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
}
