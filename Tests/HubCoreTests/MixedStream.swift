import Foundation
import HubContracts
@_spi(SQL) import HubStore
import KafkaTestSupport

/// A deterministic stream of mixed canonical events for a small company, as the adapters would
/// publish them: master data first, then positions (some late, some repeated), orders from
/// submission through the ERP's confirmation, allocation, dispatch and delivery to the dealer's
/// receipt and rating (the ERP sometimes allocating before it confirms; some orders cancelled, some
/// rejected), shipments with truck and driver, stock movements, exact re-sends of earlier events,
/// and a few unreadable messages.
///
/// Built so that the final state does not depend on how the core interleaves its topics: credit
/// and stock are ample (decisions depend only on the order), a cancelled order gets no ERP events,
/// and movements commute. So the state after any crash-and-replay history must equal the state of
/// applying the stream once, in order.
struct MixedStream: Sendable {
    enum Role: String, CaseIterable, Sendable {
        case dealers = "hub.dealers", groups = "hub.permission-groups", materials = "hub.materials", prices = "hub.price-lists"
        case warehouses = "hub.warehouses", snapshots = "hub.inventory.snapshots", vehicles = "hub.vehicles"
        case commands = "hub.orders.commands", events = "hub.orders.events", movements = "hub.inventory.movements"
        case shipments = "hub.shipments", positions = "hub.vehicles.positions"
    }

    struct Item: Sendable {
        var role: Role
        var key: String
        var value: [UInt8]
        /// `nil` for an unreadable message.
        var event: CanonicalEvent?
    }

    static let dealers = (1...8).map { "D\($0)" }
    static let materials = (1...6).map { "M\($0)" }
    static let vehicles = (1...20).map { "V\($0)" }
    static let start = 1_795_910_400

    let seed: UInt64
    private(set) var masterData: [Item] = []
    private(set) var items: [Item] = []
    private var random: FixedSeedRandom
    private var sequence = 0

    init(seed: UInt64, count: Int) {
        self.seed = seed
        random = FixedSeedRandom(seed: seed)
        masterData = buildMasterData()
        items = buildStream(count: count)
    }

    private mutating func nextId(_ kind: String) -> String {
        sequence += 1
        return "mx\(seed):\(kind):\(sequence)"
    }

    private func time(_ step: Int) -> Timestamp { Timestamp(Date(timeIntervalSince1970: Double(Self.start + step * 5))) }

    private mutating func item(_ role: Role, _ key: String, _ data: EventData, at: Timestamp, source: String = "test") -> Item {
        let event = CanonicalEvent(id: nextId(data.type), source: source, occurredAt: at, subject: key, data: data)
        return Item(role: role, key: key, value: (try? event.encoded()) ?? [], event: event)
    }

    private mutating func buildMasterData() -> [Item] {
        let at = time(0)
        var items: [Item] = []
        for dealer in Self.dealers {
            items.append(item(.dealers, dealer, .dealerUpserted(DealerUpserted(
                dealerId: dealer, name: "经销商 \(dealer)", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"), productLines: [],
                permissionGroupIds: ["PG1"], creditLimit: Money(amount: DecimalNumber("1000000000.00")!), status: .active)), at: at))
        }
        items.append(item(.groups, "PG1", .permissionGroupUpserted(PermissionGroupUpserted(
            groupId: "PG1", name: "华东", dealerIds: [], catalogue: .init(productLines: [.automotivePackaged], materialIds: []),
            priceListId: "PL1", stockLocations: [.init(warehouseId: "WH1"), .init(warehouseId: "WH2")])), at: at))
        for material in Self.materials + ["MB1"] {
            items.append(item(.materials, material, .materialUpserted(MaterialUpserted(
                materialId: material, name: "油 \(material)", productLine: material == "MB1" ? .bulk : .automotivePackaged, productLineCode: "10",
                category: "engine-oil", grade: "SN", packageSize: .init(value: DecimalNumber("4")!, unit: "L"), unitOfMeasure: "EA", status: "active")), at: at))
        }
        items.append(item(.prices, "PL1", .priceListUpserted(PriceListUpserted(
            priceListId: "PL1", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
            prices: (Self.materials + ["MB1"]).enumerated().map { .init(materialId: $0.element, unitPrice: DecimalNumber("\(100 + $0.offset * 7).50")!) })), at: at))
        for warehouse in ["WH1", "WH2"] {
            items.append(item(.warehouses, warehouse, .warehouseUpserted(WarehouseUpserted(
                warehouseId: warehouse, name: "仓库 \(warehouse)", plantId: "P1", region: Region(province: "上海"), stockLocations: [])), at: at))
            for material in Self.materials {
                items.append(item(.snapshots, "\(warehouse):\(material)", .stockSnapshot(StockSnapshot(
                    warehouseId: warehouse, materialId: material, onHand: DecimalNumber("100000")!, asOf: at)), at: at))
            }
        }
        for (index, vehicle) in Self.vehicles.enumerated() {
            items.append(item(.vehicles, vehicle, .vehicleRegistered(VehicleRegistered(
                vehicleId: vehicle, carrierId: "C\(index % 3)", plate: "沪A\(10000 + index)", terminalId: "0139\(10000000 + index)")), at: at))
        }
        return items
    }

    private mutating func buildStream(count: Int) -> [Item] {
        var items: [Item] = []
        var scheduled: [Int: [Item]] = [:]
        var step = 0
        var orders = 0
        while items.count < count {
            step += 1
            if let due = scheduled.removeValue(forKey: step) { items += due }
            let roll = random.next(100)
            switch roll {
            case 0..<55:
                let vehicle = Self.vehicles[random.next(Self.vehicles.count)]
                let late = random.next(100) < 5
                let at = time(late ? max(1, step - 1 - random.next(20)) : step)
                let fix = VehicleFix(vehicleId: vehicle, fixAt: at, lat: 31 + Double(step % 1000) / 1000, lon: 121 + Double(step % 700) / 1000,
                                     speedKmh: Double(random.next(90)), heading: random.next(360), source: .jt808)
                var position = item(.positions, vehicle, .vehiclePosition(fix), at: at)
                // The fix's id is its vehicle and time, as the carrier adapter derives it: a repeat of
                // the same fix carries the same id.
                position.event?.id = "fix:\(vehicle):\(at.text)"
                position.value = (try? position.event?.encoded()) ?? []
                items.append(position)
            case 55..<72:
                orders += 1
                let planned = plannedOrder(number: orders, step: step)
                items.append(planned.submit)
                for (offset, followUp) in planned.followUps { scheduled[step + offset, default: []].append(followUp) }
            case 72..<84:
                let warehouse = random.next(2) == 0 ? "WH1" : "WH2"
                let material = Self.materials[random.next(Self.materials.count)]
                let quantity = random.next(50) + 1
                let inbound = random.next(2) == 0
                let movementId = "MV-\(seed)-\(step)"
                items.append(item(.movements, "\(warehouse):\(material)", .inventoryMoved(InventoryMoved(
                    movementId: movementId, warehouseId: warehouse, materialId: material, quantity: DecimalNumber(inbound ? "\(quantity)" : "-\(quantity)")!,
                    kind: inbound ? .receipt : .issue, reference: "DOC-\(step)")), at: time(step)))
            case 84..<85 where step % 3 == 0:
                items.append(Item(role: [.commands, .events, .positions, .movements][random.next(4)], key: "bad-\(step)",
                                  value: Array("{\"id\":\"bad-\(step)\",\"type\":".utf8), event: nil))
            default:
                // An exact re-send of something sent before (a producer retry, a replayed file).
                if let earlier = items.last(where: { $0.event != nil && $0.role != .commands }), random.next(4) == 0 { items.append(earlier) }
            }
        }
        for key in scheduled.keys.sorted() { items += scheduled[key] ?? [] }
        return items
    }

    private mutating func plannedOrder(number: Int, step: Int) -> (submit: Item, followUps: [(Int, Item)]) {
        let orderId = "O-\(seed)-\(number)"
        let dealer = Self.dealers[random.next(Self.dealers.count)]
        let rejected = random.next(100) < 10
        var lines: [OrderLine] = (1...(1 + random.next(3))).map { lineNo in
            OrderLine(lineNo: lineNo, materialId: Self.materials[random.next(Self.materials.count)], quantity: DecimalNumber("\(1 + random.next(20))")!,
                      kind: random.next(100) < 20 ? .madeToOrder : .spot)
        }
        if rejected { lines.append(OrderLine(lineNo: lines.count + 1, materialId: "MB1", quantity: DecimalNumber("1")!, kind: .madeToOrder)) }
        let submit = item(.commands, orderId, .orderSubmit(OrderSubmission(orderId: orderId, dealerId: dealer, lines: lines, submittedBy: "U-\(dealer)", channel: .api)),
                          at: time(step))
        guard !rejected else { return (submit, []) }
        var followUps: [(Int, Item)] = []
        let path = random.next(100)
        if path < 20 {
            followUps.append((1 + random.next(30), item(.commands, orderId, .orderCancel(OrderCancellation(orderId: orderId, reason: "计划变更", requestedBy: "U-\(dealer)")),
                                                        at: time(step))))
            return (submit, followUps)
        }
        guard path < 80 else { return (submit, []) }
        let shipmentId = "S-\(seed)-\(number)"
        let vehicle = Self.vehicles[random.next(Self.vehicles.count)]
        var delay = 1 + random.next(20)
        func next() -> Int { delay += 1 + random.next(15); return delay }
        let confirmed = item(.events, orderId, .orderConfirmed(OrderConfirmed(orderId: orderId, erpOrderNumber: "00100\(number)", promisedDate: CalendarDate("2026-12-05")!,
                                                                                lines: lines.map { .init(lineNo: $0.lineNo, confirmedQuantity: $0.quantity) })), at: time(step), source: "adapter-erp")
        let allocated = item(.events, orderId, .orderAllocated(OrderAllocated(orderId: orderId, deliveryNumber: "0080\(number)",
                                                                                lines: lines.map { .init(lineNo: $0.lineNo, warehouseId: "WH1", quantity: $0.quantity) })), at: time(step), source: "adapter-erp")
        // One time in five the ERP's allocation overtakes its confirmation: the core must hold it.
        if random.next(5) == 0 {
            followUps.append((delay, allocated))
            followUps.append((next(), confirmed))
        } else {
            followUps.append((delay, confirmed))
            followUps.append((next(), allocated))
        }
        let dispatchAt = next()
        let destination = ShipmentCreated.Destination(dealerId: dealer, region: Region(province: "江苏"), position: GeoPosition(lat: 32.06, lon: 118.79))
        followUps.append((dispatchAt, item(.shipments, shipmentId, .shipmentCreated(ShipmentCreated(shipmentId: shipmentId, carrierId: "C1", orderIds: [orderId],
                                                                                                   originWarehouseId: "WH1", destination: destination,
                                                                                                   promisedDate: CalendarDate("2026-12-05")!)), at: time(step))))
        followUps.append((dispatchAt, item(.shipments, shipmentId, .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: shipmentId, vehicleId: vehicle, plate: "沪A\(vehicle)",
                                                                                                                   driverName: "司机\(number % 50)", driverPhone: "139\(10_000_000 + number)")), at: time(step))))
        followUps.append((dispatchAt, item(.shipments, shipmentId, .shipmentDispatched(ShipmentDispatched(shipmentId: shipmentId, dispatchedAt: time(step + dispatchAt))), at: time(step))))
        followUps.append((dispatchAt, item(.events, orderId, .orderDispatched(OrderDispatched(orderId: orderId, shipmentId: shipmentId, dispatchedAt: time(step + dispatchAt))),
                                           at: time(step), source: "adapter-erp")))
        let deliverAt = next()
        followUps.append((deliverAt, item(.shipments, shipmentId, .shipmentDelivered(ShipmentDelivered(shipmentId: shipmentId, deliveredAt: time(step + deliverAt))), at: time(step))))
        followUps.append((deliverAt, item(.events, orderId, .orderDelivered(OrderDelivered(orderId: orderId, shipmentId: shipmentId, deliveredAt: time(step + deliverAt))),
                                          at: time(step), source: "adapter-erp")))
        if random.next(2) == 0 {
            // The dealer's receipt and rating may come before the carrier's delivery reaches the core.
            let receiveAt = max(dispatchAt + 1, deliverAt - random.next(10))
            followUps.append((receiveAt, item(.commands, orderId, .orderConfirmReceipt(OrderReceipt(orderId: orderId, receivedAt: time(step + receiveAt), receivedBy: "U-\(dealer)")),
                                              at: time(step))))
            followUps.append((receiveAt + 1 + random.next(10), item(.commands, orderId, .orderRate(OrderRating(orderId: orderId, ratedBy: "U-\(dealer)", productQuality: 1 + random.next(5),
                                                                                                              dispatchSpeed: 1 + random.next(5), serviceQuality: 1 + random.next(5))), at: time(step))))
        }
        return (submit, followUps)
    }
}

/// The state tables the core keeps, read in a canonical order, without the columns that record
/// when (wall-clock) something was written or how many views were published on the way.
enum StateDump {
    static let queries: [(name: String, sql: String)] = [
        ("orders", "SELECT order_id, dealer_id, status, total, currency, erp_order_number, promised_date, rejections, rating FROM orders ORDER BY order_id"),
        ("order_lines", "SELECT order_id, line_no, material_id, quantity, kind, unit_price, amount, confirmed_quantity, line_status FROM order_lines ORDER BY order_id, line_no"),
        ("order_reservations", "SELECT order_id, line_no, warehouse_id, location_id, material_id, quantity FROM order_reservations ORDER BY order_id, line_no, warehouse_id, location_id"),
        ("stock", "SELECT warehouse_id, location_id, material_id, on_hand, reserved, as_of FROM stock ORDER BY warehouse_id, location_id, material_id"),
        ("inventory_movements", "SELECT movement_id, warehouse_id, location_id, material_id, quantity, kind, reference, at FROM inventory_movements ORDER BY movement_id"),
        ("shipments", "SELECT shipment_id, carrier_id, vehicle_id, plate, driver_name, driver_phone, status, dispatched_at, delivered_at, carrier_eta FROM shipments ORDER BY shipment_id"),
        ("order_shipments", "SELECT order_id, shipment_id FROM order_shipments ORDER BY order_id, shipment_id"),
        ("book_documents", "SELECT entry_id, dealer_id, kind, customer_id, amount_fen, status, reason, reference, at FROM book_documents ORDER BY entry_id"),
        // Which line was booked first depends on how partitions interleave (the books run in the order they are written);
        // what each entry booked and where each material ends do not.
        ("book_lines", "SELECT dealer_id, entry_id, kind, material_id, quantity_milli, revenue_fen, cost_fen FROM book_lines ORDER BY dealer_id, entry_id, material_id, quantity_milli, revenue_fen, cost_fen"),
        ("book_positions", "SELECT dealer_id, material_id, on_hand_milli, value_fen FROM book_positions ORDER BY dealer_id, material_id"),
        ("dealer_stock", "SELECT dealer_id, material_id, on_hand FROM dealer_stock ORDER BY dealer_id, material_id"),
        ("vehicles", "SELECT vehicle_id, carrier_id, plate, terminal_id FROM vehicles ORDER BY vehicle_id"),
        ("vehicle_latest_position", "SELECT vehicle_id, fix_at, lat, lon, event_id FROM vehicle_latest_position ORDER BY vehicle_id"),
        ("vehicle_position_history", "SELECT fix_at_ms, vehicle_id, lat, lon FROM vehicle_position_history ORDER BY fix_at_ms, vehicle_id"),
        // The inputs applied; the ids of the core's own events read back are left out (which of the
        // carrier's and the ERP's dispatch reaches the core first decides which of them announces the move).
        ("applied_events", "SELECT event_id FROM applied_events WHERE event_id NOT IN (SELECT event_id FROM outbox) ORDER BY event_id"),
        ("held_events", "SELECT event_id FROM held_events ORDER BY event_id"),
    ]

    static func read(_ database: any SQLDatabase) throws(StoreError) -> [String: [[String]]] {
        var tables: [String: [[String]]] = [:]
        for (name, sql) in queries {
            tables[name] = try database.query(sql, []).map { row in row.values.indices.map { row.string($0) ?? "∅" } }
        }
        return tables
    }
}
