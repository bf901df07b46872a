import Foundation
import Synchronization

/// The company doing business for a while: dealers order over the hub's API at a steady rate
/// (some cancel, and confirm receipt and rate once delivered), the ERP answers what the hub sends
/// it, the carriers' trucks carry the deliveries and report where they are, and the field sends
/// service records, scans and dealers' own data — a small share of it malformed on purpose.
/// Every part runs in its own task; ``run(sink:desk:erp:status:)`` returns when the duration is up.
public struct BusinessRun: Sendable {
    public struct Plan: Sendable {
        public var duration: Duration = .seconds(120)
        public var ordersPerSecond: Double = 10
        /// Tier-1 dealers that order nothing in the run (the sales force's dormant dealer stays dormant).
        public var restingDealers: Set<String> = []
        public var vehicles = 2_000
        public var carriers = 20
        public var dispatch = Dispatcher.Settings()
        public var serviceRecordsPerSecond: Double = 20
        public var scansPerSecond: Double = 10
        public var dealerReportsPerSecond: Double = 2
        /// Inputs in a thousand that are malformed on purpose.
        public var malformedPerThousand = 5
        /// Orders in a hundred their dealer cancels soon after.
        public var cancelPercent = 3
        /// How long the ERP takes to confirm an order and to ship it.
        public var confirmAfter: Duration = .milliseconds(500)
        public var shipAfter: Duration = .seconds(3)
        /// At most this many orders wait for an answer at once.
        public var ordersInFlight = 64
        /// Where the hub's JT/T 808 gateway listens: the trucks of the first `gatewayCarriers`
        /// carriers then report over TCP through it (``GatewayRoutedSink``) instead of on Kafka.
        public var gateway: GatewayRoutedSink.Endpoint?
        public var gatewayCarriers = 5

        public init() {}
    }

    public let company: Company
    public let plan: Plan
    /// Tells this run's ids from another's against the same hub (a time stamp).
    public let runId: String
    public let counters = Counters()
    /// Told every answer the hub gave to an order (a log for checking the run afterwards).
    public let acknowledged: @Sendable (OrderTraffic.Order, OrderAnswer) -> Void

    public init(company: Company, plan: Plan, runId: String, acknowledged: @escaping @Sendable (OrderTraffic.Order, OrderAnswer) -> Void = { _, _ in }) {
        self.company = company
        self.plan = plan
        self.runId = runId
        self.acknowledged = acknowledged
    }

    /// What a run did so far; read from any task.
    public final class Counters: Sendable {
        public enum Name: Int, CaseIterable, Sendable {
            case ordersSent, accepted, rejected, undecided, refused, unanswered, retries
            case cancels, receipts, ratings, followUpsRefused
            case confirmations, deliveries
            case trucksOnTheRoad, delivered, breakdowns, fixes, carrierEvents, unregisteredTrucks, gatewayFixes, gatewayRefused
            case fieldMessages, malformed
        }

        private let values = Mutex<[Int]>(Array(repeating: 0, count: Name.allCases.count))

        public init() {}

        func add(_ name: Name, _ amount: Int = 1) {
            values.withLock { $0[name.rawValue] += amount }
        }

        func set(_ name: Name, _ value: Int) {
            values.withLock { $0[name.rawValue] = value }
        }

        public func value(_ name: Name) -> Int {
            values.withLock { $0[name.rawValue] }
        }

        /// One line for a terminal, redrawn as the run goes.
        public func statusLine(elapsed: Duration, of total: Duration) -> String {
            let seconds = Int(elapsed / .seconds(1))
            return "[\(seconds)/\(Int(total / .seconds(1))) s] orders \(value(.ordersSent)) (accepted \(value(.accepted)), rejected \(value(.rejected)), "
                + "pending \(value(.undecided))) · ERP confirmed \(value(.confirmations)), shipped \(value(.deliveries)) · trucks on the road "
                + "\(value(.trucksOnTheRoad)), delivered \(value(.delivered)) · fixes \(value(.fixes)) · field \(value(.fieldMessages)) · malformed \(value(.malformed))"
        }
    }

    /// Runs the business until the plan's duration is up (or the task is cancelled); `status` is
    /// called about once a second. Each part ends at the deadline; what is in flight is finished.
    /// With a `registry`, the trucks report only once the hub can tell them by their terminals (or after
    /// 60 s): registered terminals are a carrier's precondition, not part of the business measured.
    public func run(sink: any MessageSink, desk: any OrderDesk, erp: any ERPOutbox, registry: (any VehicleRegistry)? = nil,
                    status: @escaping @Sendable (Counters) -> Void) async throws {
        let started = ContinuousClock.now
        let deadline = started + plan.duration
        let (shipments, shipmentInput) = AsyncStream.makeStream(of: ShipmentOrder.self)
        let (deliveredOrders, deliveredInput) = AsyncStream.makeStream(of: ShipmentOrder.self)
        // The ERP reads until the others are done: its consumer waits for documents, not for the clock.
        let erpTask = Task {
            defer { shipmentInput.finish() }
            try await answerOrders(erp: erp, sink: sink, shipments: shipmentInput, until: deadline)
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await placeOrders(desk: desk, until: deadline) }
                group.addTask {
                    defer { deliveredInput.finish() }
                    try await driveTrucks(shipments: shipments, sink: sink, registry: registry, delivered: deliveredInput, until: deadline)
                }
                group.addTask { try await followUp(deliveredOrders, desk: desk) }
                group.addTask { try await sendFieldData(sink: sink, until: deadline) }
                group.addTask {
                    while ContinuousClock.now < deadline {
                        status(counters)
                        try? await Task.sleep(until: min(deadline, .now + .seconds(1)))
                    }
                    status(counters)
                }
                try await group.waitForAll()
            }
        } catch {
            erpTask.cancel()
            throw error
        }
        erpTask.cancel()
        do {
            try await erpTask.value
        } catch is CancellationError {
        }
    }

    // MARK: - Dealers

    private func placeOrders(desk: any OrderDesk, until deadline: ContinuousClock.Instant) async throws {
        var traffic = OrderTraffic(company: company, run: runId, resting: plan.restingDealers)
        let interval = Duration.seconds(1 / max(plan.ordersPerSecond, 0.001))
        var next = ContinuousClock.now
        var random = SeededRandom(seed: company.seed).fork("cancel-" + runId)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while next < deadline {
                try await Task.sleep(until: next)
                next += interval
                if inFlight >= plan.ordersInFlight {
                    try await group.next()
                    inFlight -= 1
                }
                let order = traffic.next(at: Date())
                let cancels = Int.random(in: 0..<100, using: &random) < plan.cancelPercent
                inFlight += 1
                group.addTask { await submit(order, cancels: cancels, desk: desk) }
            }
            try await group.waitForAll()
        }
    }

    /// Submits until the hub answers (the same idempotency key every time, so a retry after a lost
    /// answer never makes a second order), then maybe cancels.
    private func submit(_ order: OrderTraffic.Order, cancels: Bool, desk: any OrderDesk) async {
        counters.add(.ordersSent)
        var attempt = 0
        // A hub that is down is waited for: the same key is sent again until half a minute after the run.
        let giveUp = ContinuousClock.now + plan.duration + .seconds(30)
        while !Task.isCancelled {
            guard ContinuousClock.now < giveUp else {
                counters.add(.unanswered)
                return
            }
            do {
                let answer = try await desk.submit(dealerId: order.dealerId, body: order.body, idempotencyKey: order.idempotencyKey)
                acknowledged(order, answer)
                switch answer {
                case .decided(let orderId, let status):
                    counters.add(status == "rejected" ? .rejected : .accepted)
                    if cancels && status != "rejected" {
                        await follow("cancel", orderId: orderId, dealerId: order.dealerId, body: #"{"reason":"客户改单"}"#, desk: desk, counter: .cancels)
                    }
                case .pending:
                    counters.add(.undecided)
                case .refused:
                    counters.add(.refused)
                }
                return
            } catch {
                attempt += 1
                counters.add(.retries)
                try? await Task.sleep(for: .milliseconds(min(5_000, 200 * attempt)))
            }
        }
    }

    private func follow(_ action: String, orderId: String, dealerId: String, body: String, desk: any OrderDesk,
                        counter: Counters.Name) async {
        for attempt in 1...5 {
            guard let status = try? await desk.follow(action, orderId: orderId, dealerId: dealerId, body: Array(body.utf8)) else {
                try? await Task.sleep(for: .milliseconds(300 * attempt))
                continue
            }
            counters.add((200..<300).contains(status) ? counter : .followUpsRefused)
            return
        }
    }

    /// Dealers confirm receipt of what was delivered, and most rate it.
    private func followUp(_ delivered: AsyncStream<ShipmentOrder>, desk: any OrderDesk) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for await shipment in delivered {
                group.addTask {
                    // The delivery reaches the hub through the carrier adapter and the core first.
                    try? await Task.sleep(for: .seconds(2))
                    await follow("receipt", orderId: shipment.orderId, dealerId: shipment.dealerId, body: "{}", desk: desk, counter: .receipts)
                    let stars = Int(SeededRandom.stableHash(shipment.orderId) % 3) + 3
                    await follow("rating", orderId: shipment.orderId, dealerId: shipment.dealerId,
                                 body: #"{"productQuality":\#(stars),"dispatchSpeed":\#(max(1, stars - 1)),"serviceQuality":5,"comment":"送货及时"}"#,
                                 desk: desk, counter: .ratings)
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: - The ERP

    private func answerOrders(erp: any ERPOutbox, sink: any MessageSink, shipments: AsyncStream<ShipmentOrder>.Continuation,
                              until deadline: ContinuousClock.Instant) async throws {
        let firstDelivery = 8_000_000_000 + Int(Date().timeIntervalSince1970) % 1_000_000 * 1_000
        var simulated = SimulatedERP(company: company, carriers: plan.carriers, firstDelivery: firstDelivery)
        var answered = Set<String>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            while ContinuousClock.now < deadline, let documents = try await erp.next() {
                let now = Date()
                let p = ChinaTime.parts(now)
                let created = (ChinaTime.day(now), String(format: "%02d%02d%02d", p.hour, p.minute, p.second))
                for document in documents {
                    guard let answer = try? simulated.respond(document, created: created, promisedDate: ChinaTime.day(now, plus: 1)),
                          answered.insert(answer.shipment.orderId).inserted else { continue }
                    group.addTask {
                        try await Task.sleep(for: plan.confirmAfter)
                        try await sink.send([answer.confirmation] + answer.productionReleased)
                        counters.add(.confirmations)
                        try await Task.sleep(for: plan.shipAfter)
                        try await sink.send(answer.productionDone + [answer.delivery, answer.goodsIssue] + answer.billing)
                        counters.add(.deliveries)
                        shipments.yield(answer.shipment)
                    }
                }
                try await erp.answered()
            }
            try await group.waitForAll()
        }
    }

    // MARK: - Carriers

    private func driveTrucks(shipments: AsyncStream<ShipmentOrder>, sink: any MessageSink, registry: (any VehicleRegistry)?,
                             delivered: AsyncStream<ShipmentOrder>.Continuation, until deadline: ContinuousClock.Instant) async throws {
        let fleet = Fleet.generate(company: company, vehicles: plan.vehicles, carriers: plan.carriers)
        let desk = ShipmentQueue()
        let forwarding = Task {
            for await shipment in shipments { desk.put(shipment) }
        }
        defer { forwarding.cancel() }
        var dispatcher = Dispatcher(company: company, fleet: fleet, settings: plan.dispatch, run: runId, start: Date())
        let gatewaySink = plan.gateway.map { GatewayRoutedSink(next: sink, endpoint: $0, terminals: GatewayRoutedSink.terminals(of: fleet, carriers: plan.gatewayCarriers)) }
        let sink: any MessageSink = gatewaySink ?? sink
        let registrations = dispatcher.registrations(at: Date())
        try await sink.send(registrations)
        counters.add(.carrierEvents, registrations.count)
        if let registry {
            let missing = try await registry.waitUntilRegistered(Set(fleet.trucks.map(\.vehicleId)), timeout: .seconds(60))
            counters.add(.unregisteredTrucks, missing)
        }
        var tick = ContinuousClock.now
        while tick < deadline {
            try await Task.sleep(until: tick)
            tick += .seconds(1)
            for shipment in desk.take() { dispatcher.add(shipment) }
            let before = dispatcher.counts
            let messages = dispatcher.tick(now: Date())
            for shipment in dispatcher.takeDelivered() { delivered.yield(shipment) }
            let out = malform(messages, stream: "carrier")
            try await sink.send(out)
            let after = dispatcher.counts
            counters.add(.fixes, after.fixes - before.fixes)
            counters.add(.carrierEvents, (after.events - before.events) - (after.fixes - before.fixes))
            counters.add(.delivered, after.delivered - before.delivered)
            counters.add(.breakdowns, after.breakdowns - before.breakdowns)
            counters.set(.trucksOnTheRoad, after.onTheRoad)
            if let gatewaySink {
                counters.set(.gatewayFixes, gatewaySink.answered)
                counters.set(.gatewayRefused, gatewaySink.refused)
            }
        }
        await gatewaySink?.close()
    }

    // MARK: - The field

    private func sendFieldData(sink: any MessageSink, until deadline: ContinuousClock.Instant) async throws {
        var field = FieldMessages(company: company, stream: "field-" + runId)
        var owed = (service: 0.0, scans: 0.0, dealers: 0.0)
        var tick = ContinuousClock.now
        while tick < deadline {
            try await Task.sleep(until: tick)
            tick += .milliseconds(250)
            let now = Date()
            owed.service += plan.serviceRecordsPerSecond / 4
            owed.scans += plan.scansPerSecond / 4
            owed.dealers += plan.dealerReportsPerSecond / 4
            var messages: [ERPDocuments.Message] = []
            while owed.service >= 1 { owed.service -= 1; messages.append(field.serviceRecord(at: now)) }
            while owed.scans >= 1 { owed.scans -= 1; messages.append(field.scan(at: now)) }
            while owed.dealers >= 1 {
                owed.dealers -= 1
                messages.append(messages.count % 2 == 0 ? field.sellThrough(at: now) : field.stockSnapshot(at: now))
            }
            try await sink.send(malform(messages, stream: "field"))
            counters.add(.fieldMessages, messages.count)
        }
    }

    /// Spoils about `malformedPerThousand` of the messages (the same ones for the same run).
    private func malform(_ messages: [ERPDocuments.Message], stream: String) -> [ERPDocuments.Message] {
        guard plan.malformedPerThousand > 0 else { return messages }
        return messages.map { message in
            let hash = SeededRandom.stableHash(stream + message.key) ^ SeededRandom.stableHash(String(decoding: message.value.suffix(24), as: UTF8.self))
            guard Int(hash % 1_000) < plan.malformedPerThousand else { return message }
            counters.add(.malformed)
            return FieldMessages.malformed(message, kind: Int(hash >> 10 % 3))
        }
    }
}

/// Shipments handed from the ERP's task to the carriers' (a lock, no waiting).
final class ShipmentQueue: Sendable {
    private let items = Mutex<[ShipmentOrder]>([])

    func put(_ shipment: ShipmentOrder) {
        items.withLock { $0.append(shipment) }
    }

    func take() -> [ShipmentOrder] {
        items.withLock { items in
            defer { items = [] }
            return items
        }
    }
}
