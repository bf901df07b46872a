import HubContracts

/// The JSON every simulated system writes: keys sorted (the same value gives the same bytes),
/// slashes as they are — written through our JSON value (the bytes JSONEncoder with sorted keys
/// writes, at a fraction of its cost: the simulator shares the machine with the hub it drives).
enum SimulatorJSON {
    static func bytes<Value: Encodable>(_ value: Value) -> [UInt8] {
        (try? JSONValueEncoder.encode(value)).map { Array($0.description.utf8) } ?? []
    }
}
