import Foundation

/// The JSON every simulated system writes: keys sorted (the same value gives the same bytes), slashes as they are.
enum SimulatorJSON {
    static func bytes<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? []
    }
}
