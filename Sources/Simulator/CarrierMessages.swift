import HubContracts
import WireFormats
public import Foundation

/// What a carrier sends the hub, as its systems send it: JSON events on
/// `carrier.in.shipment-events` (registrations, assignments, dispatch, ETA, exceptions, arrival,
/// delivery, and the positions of trucks without a JT/T 808 terminal) and JT/T 808 location
/// reports (0x0200) on `carrier.in.jt808`. Pure: values in, messages out.
public enum CarrierMessages {
    public struct Fix: Sendable, Equatable {
        public var point: Geography.Point
        public var speedKmh: Double
        public var heading: Int
        public var time: Date
    }

    struct Event: Encodable {
        struct Vehicle: Encodable {
            var vehicleId: String
            var plate: String?
            var terminalId: String?
        }

        struct Driver: Encodable {
            var name: String
            var phone: String
        }

        struct Position: Encodable {
            var lat: Double
            var lon: Double
        }

        struct Problem: Encodable {
            var code: String
            var description: String
        }

        var eventId: String
        var carrierId: String
        var type: String
        var shipmentId: String?
        var vehicle: Vehicle?
        var driver: Driver?
        var time: String
        var eta: String?
        var position: Position?
        var speedKmh: Double?
        var exception: Problem?
    }

    /// China Standard Time as carriers write it: `yyyy-MM-dd HH:mm:ss`.
    public static func localTime(_ date: Date) -> String {
        let parts = ChinaTime.parts(date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second)
    }

    static func json(_ event: Event, key: String) -> ERPDocuments.Message {
        ERPDocuments.Message(topic: TopicName.Carrier.shipmentEvents, key: key, value: SimulatorJSON.bytes(event))
    }

    public static func registration(_ truck: Fleet.Truck, eventId: String, at time: Date) -> ERPDocuments.Message {
        json(Event(eventId: eventId, carrierId: truck.carrierId, type: "vehicle.registered",
                   vehicle: .init(vehicleId: truck.vehicleId, plate: truck.plate, terminalId: truck.terminal), time: localTime(time)), key: truck.vehicleId)
    }

    public static func assigned(_ truck: Fleet.Truck, shipment: String, eventId: String, at time: Date) -> ERPDocuments.Message {
        json(Event(eventId: eventId, carrierId: truck.carrierId, type: "shipment.assigned", shipmentId: shipment,
                   vehicle: .init(vehicleId: truck.vehicleId, plate: truck.plate), driver: .init(name: truck.driverName, phone: truck.driverPhone),
                   time: localTime(time)), key: shipment)
    }

    /// A shipment event without more than its type and time: dispatched, arrived, delivered.
    public static func milestone(_ type: String, _ truck: Fleet.Truck, shipment: String, eventId: String, at time: Date) -> ERPDocuments.Message {
        json(Event(eventId: eventId, carrierId: truck.carrierId, type: type, shipmentId: shipment, time: localTime(time)), key: shipment)
    }

    public static func eta(_ truck: Fleet.Truck, shipment: String, eventId: String, eta: Date, at time: Date) -> ERPDocuments.Message {
        json(Event(eventId: eventId, carrierId: truck.carrierId, type: "shipment.eta", shipmentId: shipment, time: localTime(time), eta: localTime(eta)), key: shipment)
    }

    public static func breakdown(_ truck: Fleet.Truck, shipment: String, eventId: String, at time: Date) -> ERPDocuments.Message {
        json(Event(eventId: eventId, carrierId: truck.carrierId, type: "shipment.exception", shipmentId: shipment, time: localTime(time),
                   exception: .init(code: "breakdown", description: "车辆故障，等待救援")), key: shipment)
    }

    /// A position: a JT/T 808 location report from the truck's terminal, or a JSON event from its carrier's platform.
    public static func position(_ truck: Fleet.Truck, fix: Fix, serial: UInt16, eventId: String) -> ERPDocuments.Message {
        switch truck.reporting {
        case .json:
            return json(Event(eventId: eventId, carrierId: truck.carrierId, type: "vehicle.position", vehicle: .init(vehicleId: truck.vehicleId),
                              time: localTime(fix.time), position: .init(lat: (fix.point.lat * 1e6).rounded() / 1e6, lon: (fix.point.lon * 1e6).rounded() / 1e6),
                              speedKmh: fix.speedKmh), key: truck.vehicleId)
        case .jt808(let version2019):
            let frame = JT808Frame(messageId: JT808Location.locationReport, protocolVersion: version2019 ? 1 : nil, terminal: truck.terminal,
                                   serial: serial, body: locationBody(fix))
            return ERPDocuments.Message(topic: TopicName.Carrier.jt808, key: truck.terminal, value: frame.encoded())
        }
    }

    /// A 0x0200 body: alarm and status flags (ACC on, positioned), latitude and longitude in
    /// millionths of a degree, altitude, speed in 0.1 km/h, heading, time as BCD YYMMDDhhmmss (UTC+8).
    public static func locationBody(_ fix: Fix) -> [UInt8] {
        func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
        func bcd(_ value: Int) -> UInt8 { UInt8((value / 10 % 10) << 4 | value % 10) }
        var status: UInt32 = 0x03
        if fix.point.lat < 0 { status |= 0x04 }
        if fix.point.lon < 0 { status |= 0x08 }
        let t = ChinaTime.parts(fix.time)
        return be32(0) + be32(status) + be32(UInt32(abs(fix.point.lat) * 1_000_000)) + be32(UInt32(abs(fix.point.lon) * 1_000_000))
            + be16(20) + be16(UInt16(min(max(fix.speedKmh * 10, 0), 6_000))) + be16(UInt16(fix.heading % 360))
            + [bcd(t.year % 100), bcd(t.month), bcd(t.day), bcd(t.hour), bcd(t.minute), bcd(t.second)]
    }
}

/// Calendar fields in China Standard Time (UTC+8, no daylight saving), as the field systems write times.
public enum ChinaTime {
    public static func parts(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// `yyyyMMdd` of the day `days` after the date's own, in China.
    public static func day(_ date: Date, plus days: Int = 0) -> String {
        let p = parts(date.addingTimeInterval(Double(days) * 86_400))
        return String(format: "%04d%02d%02d", p.year, p.month, p.day)
    }
}
