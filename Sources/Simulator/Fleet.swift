import Foundation

/// The company's carriers and their trucks: `CAR-01` … with the trucks spread over them and over
/// the plants they load at. Most carriers' trucks carry JT/T 808 terminals (2013 headers, a few
/// 2019); the rest report positions as JSON through their carrier's platform.
public struct Fleet: Sendable {
    public enum Reporting: Sendable, Equatable {
        case jt808(version2019: Bool)
        case json
    }

    public struct Truck: Sendable, Equatable {
        public var vehicleId: String
        public var carrierId: String
        public var plate: String
        /// The terminal's phone number: 12 BCD digits (2013) or 20 (2019).
        public var terminal: String
        public var reporting: Reporting
        /// The plant it loads at and returns to.
        public var homePlant: String
        public var driverName: String
        public var driverPhone: String
    }

    public var carriers: [String]
    public var trucks: [Truck]

    /// Carriers from this number on report positions as JSON instead of JT/T 808.
    public static let firstJSONCarrier = 16

    public static func carrierId(_ number: Int) -> String {
        "CAR-" + (number < 10 ? "0" : "") + String(number)
    }

    public static func generate(company: Company, vehicles: Int, carriers: Int = 20) -> Fleet {
        var random = SeededRandom(seed: company.seed).fork("fleet")
        let carrierIds = (1...max(1, carriers)).map(carrierId)
        let plates = ["沪", "苏", "浙", "京", "津", "粤", "桂", "鄂", "豫", "川", "陕", "辽", "黑"]
        let surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"]
        let plants = company.plants
        var trucks: [Truck] = []
        trucks.reserveCapacity(vehicles)
        for index in 0..<max(0, vehicles) {
            let carrierNumber = index % carrierIds.count + 1
            let serial = index / carrierIds.count + 1
            let plant = plants[(index / carrierIds.count) % plants.count]
            let plantIndex = plants.firstIndex(of: plant) ?? 0
            let number = 13_900_000_000 + index
            let reporting: Reporting = carrierNumber >= firstJSONCarrier ? .json : .jt808(version2019: serial % 10 == 0)
            let terminal = reporting == .jt808(version2019: true) ? "00000000" + "0" + String(number) : "0" + String(number)
            let letter = Character(UnicodeScalar(UInt8(65 + Int.random(in: 0..<20, using: &random))))
            let plate = plates[plantIndex % plates.count] + String(letter) + "·" + String(10_000 + Int.random(in: 0..<89_999, using: &random))
            let vehicleId = "V-CAR" + (carrierNumber < 10 ? "0" : "") + "\(carrierNumber)-" + String(format: "%04d", serial)
            trucks.append(Truck(vehicleId: vehicleId, carrierId: carrierIds[carrierNumber - 1], plate: plate, terminal: terminal, reporting: reporting,
                                homePlant: plant, driverName: surnames[Int.random(in: 0..<surnames.count, using: &random)] + "师傅",
                                driverPhone: "138" + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random))))
        }
        return Fleet(carriers: carrierIds, trucks: trucks)
    }
}
