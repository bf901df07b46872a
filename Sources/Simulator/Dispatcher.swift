public import Foundation

/// A delivery the ERP handed to a carrier: what the truck must carry, from where to whom.
public struct ShipmentOrder: Sendable, Equatable {
    public var shipmentId: String
    public var orderId: String
    public var dealerId: String
    public var carrierId: String
    public var plant: String
    /// The promised delivery day, `yyyyMMdd` (China).
    public var promisedDate: String
    public var destination: Geography.Point

    public init(shipmentId: String, orderId: String, dealerId: String, carrierId: String, plant: String, promisedDate: String, destination: Geography.Point) {
        self.shipmentId = shipmentId
        self.orderId = orderId
        self.dealerId = dealerId
        self.carrierId = carrierId
        self.plant = plant
        self.promisedDate = promisedDate
        self.destination = destination
    }
}

/// The carriers' dispatch desks and their trucks, advanced one tick at a time: a shipment waits
/// for a free truck of its carrier at its plant, is assigned, dispatched and driven (positions
/// every `fixInterval` while moving, every `idleFixInterval` while parked), arrives and is
/// delivered; the truck drives back empty and is free again. Roughly one in 25 trips breaks down
/// halfway: the carrier reports the exception and a new ETA a day after the promised one, the
/// truck stands still for a while, then finishes. Time runs `timeScale` times faster on the road
/// than on the clock, so a 300 km trip takes minutes, not hours. Pure: ``tick(now:)`` returns the
/// messages due.
public struct Dispatcher: Sendable {
    public struct Settings: Sendable {
        public var timeScale: Double = 120
        public var fixInterval: TimeInterval = 10
        public var idleFixInterval: TimeInterval = 60
        public var minimumTripSeconds: TimeInterval = 20
        /// Seconds between assignment and dispatch, and between arrival and delivery.
        public var handlingSeconds: TimeInterval = 2

        public init() {}
    }

    enum Leg: Sendable, Equatable {
        case parked
        case loading(ShipmentOrder, until: Date)
        case delivering(ShipmentOrder, from: Geography.Point, start: Date, duration: TimeInterval, speedKmh: Double, breakdown: Bool)
        case unloading(ShipmentOrder, until: Date)
        case returning(from: Geography.Point, start: Date, duration: TimeInterval, speedKmh: Double)
    }

    struct TruckState: Sendable {
        var truck: Fleet.Truck
        var home: Geography.Point
        var leg: Leg = .parked
        var nextFix: Date
        var serial: UInt16 = 0
        var reportedBreakdown = false
    }

    public let company: Company
    public let settings: Settings
    private var trucks: [TruckState]
    private var free: [String: [Int]] = [:]
    private var waiting: [ShipmentOrder] = []
    private var eventNumber = 0
    private let eventPrefix: String
    private var delivered: [ShipmentOrder] = []

    public struct Counts: Sendable, Equatable {
        public var waiting = 0
        public var onTheRoad = 0
        public var delivered = 0
        public var breakdowns = 0
        public var fixes = 0
        public var events = 0
    }

    public private(set) var counts = Counts()

    /// `run` makes the carriers' event ids unique to one simulation run.
    public init(company: Company, fleet: Fleet, settings: Settings = Settings(), run: String, start: Date) {
        self.company = company
        self.settings = settings
        eventPrefix = "EV-\(run)-"
        trucks = fleet.trucks.enumerated().map { index, truck in
            let interval = max(settings.idleFixInterval, 1)
            return TruckState(truck: truck, home: Geography.position(ofPlant: truck.homePlant, in: company),
                              nextFix: start.addingTimeInterval(interval * Double(index % 97) / 97))
        }
        for (index, state) in trucks.enumerated() {
            free[Self.desk(state.truck.carrierId, state.truck.homePlant), default: []].append(index)
        }
    }

    static func desk(_ carrier: String, _ plant: String) -> String { carrier + "@" + plant }

    /// Every truck's registration (terminal and plate), sent once before the trucks report.
    public mutating func registrations(at time: Date) -> [ERPDocuments.Message] {
        trucks.map { state in CarrierMessages.registration(state.truck, eventId: nextEventId(state.truck), at: time) }
    }

    /// The shipments delivered since the last call.
    public mutating func takeDelivered() -> [ShipmentOrder] {
        defer { delivered = [] }
        return delivered
    }

    /// A delivery to carry, from the ERP.
    public mutating func add(_ shipment: ShipmentOrder) {
        waiting.append(shipment)
    }

    private mutating func nextEventId(_ truck: Fleet.Truck) -> String {
        eventNumber += 1
        counts.events += 1
        return truck.carrierId.replacingOccurrences(of: "-", with: "") + "-" + eventPrefix + String(eventNumber)
    }

    /// The messages due at `now`: assignments of waiting shipments, milestones, positions.
    public mutating func tick(now: Date) -> [ERPDocuments.Message] {
        var out: [ERPDocuments.Message] = []
        var stillWaiting: [ShipmentOrder] = []
        for shipment in waiting {
            let desk = Self.desk(shipment.carrierId, shipment.plant)
            guard let index = free[desk]?.popLast() else {
                stillWaiting.append(shipment)
                continue
            }
            trucks[index].leg = .loading(shipment, until: now.addingTimeInterval(settings.handlingSeconds))
            trucks[index].reportedBreakdown = false
            out.append(CarrierMessages.assigned(trucks[index].truck, shipment: shipment.shipmentId, eventId: nextEventId(trucks[index].truck), at: now))
        }
        waiting = stillWaiting
        for index in trucks.indices {
            out += advance(index, now: now)
        }
        counts.waiting = waiting.count
        counts.onTheRoad = trucks.reduce(0) { count, state in
            if case .delivering = state.leg { return count + 1 }
            return count
        }
        return out
    }

    private mutating func advance(_ index: Int, now: Date) -> [ERPDocuments.Message] {
        var out: [ERPDocuments.Message] = []
        let truck = trucks[index].truck
        switch trucks[index].leg {
        case .parked:
            break
        case .loading(let shipment, let until):
            guard now >= until else { break }
            let from = Geography.position(ofPlant: shipment.plant, in: company)
            let hash = SeededRandom.stableHash(shipment.shipmentId)
            let speed = 55 + Double(hash % 30)
            let roadKm = Geography.distanceKm(from, shipment.destination) * 1.25 + 5
            let duration = max(settings.minimumTripSeconds, roadKm / speed * 3600 / settings.timeScale)
            let breakdown = hash >> 8 % 25 == 0
            trucks[index].leg = .delivering(shipment, from: from, start: now, duration: duration, speedKmh: speed, breakdown: breakdown)
            trucks[index].nextFix = now
            out.append(CarrierMessages.milestone("shipment.dispatched", truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), at: now))
            out.append(CarrierMessages.eta(truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), eta: now.addingTimeInterval(duration), at: now))
        case .delivering(let shipment, let from, let start, let duration, let speed, let breakdown):
            // A breakdown stops the truck from 40 % to 70 % of its trip time.
            let elapsed = now.timeIntervalSince(start) / duration
            if breakdown && elapsed >= 0.4 && !trucks[index].reportedBreakdown {
                trucks[index].reportedBreakdown = true
                counts.breakdowns += 1
                let late = Self.endOfDay(shipment.promisedDate).addingTimeInterval(86_400)
                out.append(CarrierMessages.breakdown(truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), at: now))
                out.append(CarrierMessages.eta(truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), eta: late, at: now))
            }
            let progress = breakdown ? (elapsed < 0.4 ? elapsed : elapsed < 0.7 ? 0.4 : (elapsed - 0.3)) : elapsed
            if progress >= 1 {
                trucks[index].leg = .unloading(shipment, until: now.addingTimeInterval(settings.handlingSeconds))
                out.append(fix(index, at: shipment.destination, toward: shipment.destination, speed: 0, now: now))
                out.append(CarrierMessages.milestone("shipment.arrived", truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), at: now))
            } else if now >= trucks[index].nextFix {
                let point = Self.interpolate(from, shipment.destination, progress)
                let moving = breakdown && elapsed >= 0.4 && elapsed < 0.7 ? 0 : speed
                out.append(fix(index, at: point, toward: shipment.destination, speed: moving, now: now))
            }
        case .unloading(let shipment, let until):
            guard now >= until else { break }
            out.append(CarrierMessages.milestone("shipment.delivered", truck, shipment: shipment.shipmentId, eventId: nextEventId(truck), at: now))
            delivered.append(shipment)
            counts.delivered += 1
            let roadKm = Geography.distanceKm(shipment.destination, trucks[index].home) * 1.25 + 5
            trucks[index].leg = .returning(from: shipment.destination, start: now, duration: max(settings.minimumTripSeconds, roadKm / 70 * 3600 / settings.timeScale), speedKmh: 70)
        case .returning(let from, let start, let duration, let speed):
            let progress = now.timeIntervalSince(start) / duration
            if progress >= 1 {
                trucks[index].leg = .parked
                free[Self.desk(truck.carrierId, truck.homePlant), default: []].append(index)
                out.append(fix(index, at: trucks[index].home, toward: trucks[index].home, speed: 0, now: now))
            } else if now >= trucks[index].nextFix {
                out.append(fix(index, at: Self.interpolate(from, trucks[index].home, progress), toward: trucks[index].home, speed: speed, now: now))
            }
        }
        if case .parked = trucks[index].leg, now >= trucks[index].nextFix {
            out.append(fix(index, at: trucks[index].home, toward: trucks[index].home, speed: 0, now: now))
        }
        return out
    }

    private mutating func fix(_ index: Int, at point: Geography.Point, toward target: Geography.Point, speed: Double, now: Date) -> ERPDocuments.Message {
        let parked: Bool
        if case .parked = trucks[index].leg { parked = true } else { parked = false }
        trucks[index].nextFix = now.addingTimeInterval(parked ? settings.idleFixInterval : settings.fixInterval)
        trucks[index].serial &+= 1
        counts.fixes += 1
        let fix = CarrierMessages.Fix(point: point, speedKmh: speed, heading: Geography.heading(point, target), time: now)
        return CarrierMessages.position(trucks[index].truck, fix: fix, serial: trucks[index].serial, eventId: nextEventId(trucks[index].truck))
    }

    /// The point a fraction of the way along the straight line (fine over a province or two).
    static func interpolate(_ a: Geography.Point, _ b: Geography.Point, _ fraction: Double) -> Geography.Point {
        let f = min(max(fraction, 0), 1)
        return Geography.Point(lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f)
    }

    /// 24:00 China time of a `yyyyMMdd` day.
    static func endOfDay(_ day: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let digits = Array(day)
        guard digits.count == 8, let year = Int(String(digits[0..<4])), let month = Int(String(digits[4..<6])), let dayNumber = Int(String(digits[6..<8])),
              let start = calendar.date(from: DateComponents(year: year, month: month, day: dayNumber)) else { return Date() }
        return start.addingTimeInterval(86_400)
    }
}
