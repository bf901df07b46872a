public import HubContracts
import Foundation
import Synchronization

/// What applying a master-data event did.
public enum MasterDataOutcome: Sendable, Equatable {
    case applied
    /// The event id was applied before: nothing changed.
    case duplicate
    /// It refers to something the store does not know yet (the master record may be on its way):
    /// nothing changed and nothing was recorded; retry later, then dead-letter.
    case unknownReference(String)
    /// Not a master-data event.
    case notMasterData
}

/// An event kept because it refers to something not known yet; retried until it applies or its
/// time runs out (then it is dead-lettered).
public struct HeldEvent: Sendable, Equatable {
    public var eventId: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var reason: String
    public var heldAtMilliseconds: Int64

    public init(eventId: String, topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], reason: String, heldAtMilliseconds: Int64) {
        self.eventId = eventId
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.reason = reason
        self.heldAtMilliseconds = heldAtMilliseconds
    }
}

/// What the store knows for deciding one order, as stored (decimals as exact text).
public struct OrderContextRecords: Sendable {
    public struct Dealer: Sendable {
        public var dealerId: String
        public var status: String
        public var creditLimit: String
        public var currency: String
    }
    public struct Stock: Sendable {
        public var warehouseId: String
        public var locationId: String
        public var onHand: String
        public var reserved: String
    }
    public var dealer: Dealer?
    /// The order's materials that exist.
    public var knownMaterials: Set<String>
    /// The order's materials the dealer's permission groups grant.
    public var grantedMaterials: Set<String>
    /// Unit price and the quantity it is for, per material, from the first of the dealer's groups
    /// (by group id) whose price list has one.
    public var prices: [String: (unitPrice: String, per: String)]
    /// Stock of the order's materials in the locations the dealer's groups grant, in drawing order.
    public var stock: [String: [Stock]]
}

/// Dealers, permission groups, materials, price lists, warehouses and stock in SQLite. Each event
/// is applied in one transaction that also records its id (a repeat changes nothing) and the
/// consumed offset.
public final class SQLiteMasterDataStore: Sendable {
    private let connection: Mutex<Holder>

    private struct Holder: ~Copyable {
        let connection: SQLiteConnection
    }

    public init(path: String) throws(StoreError) {
        self.connection = Mutex(Holder(connection: try CoreSchema.open(path: path)))
    }

    /// Applies one canonical event, read from `topic`/`partition` at `offset` by `group`.
    public func apply(_ event: CanonicalEvent, topic: String, partition: Int32, offset: Int64, group: String) throws(StoreError) -> MasterDataOutcome {
        try apply(event, topic: topic, partition: partition, offset: offset, group: group, releasing: nil)
    }

    private func apply(_ event: CanonicalEvent, topic: String, partition: Int32, offset: Int64, group: String, releasing heldId: String?) throws(StoreError) -> MasterDataOutcome {
        let source = ConsumedPosition(topic: topic, partition: partition, nextOffset: offset + 1)
        return try connection.withLock { holder throws(StoreError) -> MasterDataOutcome in
            let db = holder.connection
            return try db.transaction { () throws(StoreError) -> MasterDataOutcome in
                let seen = try db.statement("SELECT 1 FROM applied_events WHERE event_id = ?")
                seen.bind(1, event.id)
                func releaseHeld() throws(StoreError) {
                    guard let heldId else { return }
                    let delete = try db.statement("DELETE FROM held_events WHERE event_id = ?")
                    delete.bind(1, heldId)
                    try delete.run()
                }
                if try seen.step() {
                    _ = try seen.step()
                    try SQLitePositionStore.record([source], group: group, in: db)
                    try releaseHeld()
                    return .duplicate
                }
                let outcome = try Self.upsert(event.data, in: db)
                guard outcome == .applied else { return outcome }
                try releaseHeld()
                let record = try db.statement("INSERT INTO applied_events (event_id, topic, partition, offset) VALUES (?, ?, ?, ?)")
                record.bind(1, event.id)
                record.bind(2, topic)
                record.bind(3, Int64(partition))
                record.bind(4, offset)
                try record.run()
                try SQLitePositionStore.record([source], group: group, in: db)
                return .applied
            }
        }
    }

    /// Keeps an event whose reference is unknown, and records its offset as consumed, in one
    /// transaction: the consumer moves on and the event is not lost.
    public func hold(_ held: HeldEvent, group: String) throws(StoreError) {
        try connection.withLock { holder throws(StoreError) in
            let db = holder.connection
            try db.transaction { () throws(StoreError) in
                let insert = try db.statement("""
                    INSERT OR IGNORE INTO held_events (event_id, topic, partition, offset, message_key, value, reason, held_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                insert.bind(1, held.eventId)
                insert.bind(2, held.topic)
                insert.bind(3, Int64(held.partition))
                insert.bind(4, held.offset)
                if let key = held.key { insert.bind(5, key) } else { insert.bindNull(5) }
                insert.bind(6, held.value)
                insert.bind(7, held.reason)
                insert.bind(8, held.heldAtMilliseconds)
                try insert.run()
                try SQLitePositionStore.record([ConsumedPosition(topic: held.topic, partition: held.partition, nextOffset: held.offset + 1)], group: group, in: db)
            }
        }
    }

    /// The held events, oldest first.
    public func heldEvents() throws(StoreError) -> [HeldEvent] {
        try connection.withLock { holder throws(StoreError) -> [HeldEvent] in
            let select = try holder.connection.statement(
                "SELECT event_id, topic, partition, offset, message_key, value, reason, held_at_ms FROM held_events ORDER BY held_at_ms, topic, partition, offset")
            var rows: [HeldEvent] = []
            while try select.step() {
                rows.append(HeldEvent(eventId: select.string(0) ?? "", topic: select.string(1) ?? "", partition: Int32(select.int64(2)),
                                      offset: select.int64(3), key: select.isNull(4) ? nil : select.blob(4), value: select.blob(5),
                                      reason: select.string(6) ?? "", heldAtMilliseconds: select.int64(7)))
            }
            return rows
        }
    }

    /// Applies a held event again: when it applies (or was applied meanwhile) it is released, in
    /// the same transaction. A reference still unknown leaves it held.
    public func retry(_ held: HeldEvent, event: CanonicalEvent, group: String) throws(StoreError) -> MasterDataOutcome {
        let outcome = try apply(event, topic: held.topic, partition: held.partition, offset: held.offset, group: group, releasing: held.eventId)
        return outcome
    }

    /// Where each partition's next read starts, as applied or held; partitions never seen are absent.
    public func storedOffsets(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        try connection.withLock { holder throws(StoreError) -> [Int32: Int64] in
            try SQLitePositionStore.storedOffsets(group: group, topic: topic, in: holder.connection)
        }
    }

    /// Drops a held event (after it was dead-lettered).
    public func release(_ eventId: String) throws(StoreError) {
        try connection.withLock { holder throws(StoreError) in
            let delete = try holder.connection.statement("DELETE FROM held_events WHERE event_id = ?")
            delete.bind(1, eventId)
            try delete.run()
        }
    }

    private static func upsert(_ data: any CanonicalPayload, in db: SQLiteConnection) throws(StoreError) -> MasterDataOutcome {
        switch data {
        case let dealer as DealerUpserted:
            let upsert = try db.statement("""
                INSERT OR REPLACE INTO dealers (dealer_id, name, tier, parent_dealer_id, branch_id, province, city, status, credit_limit, currency, sales_rep_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let values: [String?] = [dealer.dealerId, dealer.name, dealer.tier.rawValue, dealer.parentDealerId, dealer.branchId, dealer.region.province,
                                     dealer.region.city, dealer.status.rawValue, dealer.creditLimit.amount.text, dealer.creditLimit.currency, dealer.salesRepId]
            for (index, value) in values.enumerated() { upsert.bind(Int32(index + 1), value) }
            try upsert.run()
            try replace("dealer_groups", key: "dealer_id", value: dealer.dealerId, rows: dealer.permissionGroupIds.map { [$0] }, columns: ["group_id"], in: db)
        case let credit as DealerCreditLimitSet:
            let update = try db.statement("UPDATE dealers SET credit_limit = ?, currency = ? WHERE dealer_id = ?")
            update.bind(1, credit.creditLimit.amount.text)
            update.bind(2, credit.creditLimit.currency)
            update.bind(3, credit.dealerId)
            try update.run()
            if update.changes == 0 { return .unknownReference("dealer \(credit.dealerId)") }
        case let group as PermissionGroupUpserted:
            let upsert = try db.statement("INSERT OR REPLACE INTO permission_groups (group_id, name, price_list_id) VALUES (?, ?, ?)")
            upsert.bind(1, group.groupId)
            upsert.bind(2, group.name)
            upsert.bind(3, group.priceListId)
            try upsert.run()
            try replace("group_dealers", key: "group_id", value: group.groupId, rows: group.dealerIds.map { [$0] }, columns: ["dealer_id"], in: db)
            try replace("group_product_lines", key: "group_id", value: group.groupId, rows: group.catalogue.productLines.map { [$0.rawValue] }, columns: ["product_line"], in: db)
            try replace("group_materials", key: "group_id", value: group.groupId, rows: group.catalogue.materialIds.map { [$0] }, columns: ["material_id"], in: db)
            try replace("group_stock_locations", key: "group_id", value: group.groupId,
                        rows: group.stockLocations.map { [$0.warehouseId, $0.locationId ?? ""] }, columns: ["warehouse_id", "location_id"], in: db)
        case let material as MaterialUpserted:
            let upsert = try db.statement("INSERT OR REPLACE INTO materials (material_id, name, product_line, status) VALUES (?, ?, ?, ?)")
            upsert.bind(1, material.materialId)
            upsert.bind(2, material.name)
            upsert.bind(3, material.productLine.rawValue)
            upsert.bind(4, material.status)
            try upsert.run()
        case let list as PriceListUpserted:
            let upsert = try db.statement("INSERT OR REPLACE INTO price_lists (price_list_id, currency, valid_from, valid_to) VALUES (?, ?, ?, ?)")
            upsert.bind(1, list.priceListId)
            upsert.bind(2, list.currency)
            upsert.bind(3, list.validFrom.text)
            upsert.bind(4, list.validTo?.text)
            try upsert.run()
            try replace("prices", key: "price_list_id", value: list.priceListId,
                        rows: list.prices.map { [$0.materialId, $0.unitPrice.text, $0.per?.text ?? "1"] }, columns: ["material_id", "unit_price", "per"], in: db)
        case let warehouse as WarehouseUpserted:
            let upsert = try db.statement("INSERT OR REPLACE INTO warehouses (warehouse_id, name, plant_id, branch_id) VALUES (?, ?, ?, ?)")
            upsert.bind(1, warehouse.warehouseId)
            upsert.bind(2, warehouse.name)
            upsert.bind(3, warehouse.plantId)
            upsert.bind(4, warehouse.branchId)
            try upsert.run()
        case let snapshot as StockSnapshot:
            // A snapshot sets on hand (an older snapshot never overwrites a newer one); reservations stay.
            let upsert = try db.statement("""
                INSERT INTO stock (warehouse_id, location_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (warehouse_id, location_id, material_id) DO UPDATE SET on_hand = excluded.on_hand, as_of = excluded.as_of
                WHERE stock.as_of IS NULL OR excluded.as_of > stock.as_of
                """)
            upsert.bind(1, snapshot.warehouseId)
            upsert.bind(2, snapshot.locationId ?? "")
            upsert.bind(3, snapshot.materialId)
            upsert.bind(4, snapshot.onHand.text)
            upsert.bind(5, snapshot.asOf.text)
            try upsert.run()
        case let snapshot as DealerStockSnapshot:
            let upsert = try db.statement("""
                INSERT INTO dealer_stock (dealer_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?)
                ON CONFLICT (dealer_id, material_id) DO UPDATE SET on_hand = excluded.on_hand, as_of = excluded.as_of
                WHERE excluded.as_of > dealer_stock.as_of
                """)
            upsert.bind(1, snapshot.dealerId)
            upsert.bind(2, snapshot.materialId)
            upsert.bind(3, snapshot.onHand.text)
            upsert.bind(4, snapshot.asOf.text)
            try upsert.run()
        default:
            return .notMasterData
        }
        return .applied
    }

    /// Replaces the child rows of one parent.
    private static func replace(_ table: String, key: String, value: String, rows: [[String]], columns: [String], in db: SQLiteConnection) throws(StoreError) {
        let delete = try db.statement("DELETE FROM \(table) WHERE \(key) = ?")
        delete.bind(1, value)
        try delete.run()
        let insert = try db.statement("INSERT OR IGNORE INTO \(table) (\(key), \(columns.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: columns.count)))")
        for row in rows {
            insert.bind(1, value)
            for (index, column) in row.enumerated() { insert.bind(Int32(index + 2), column) }
            try insert.run()
        }
    }

    /// What deciding an order for `dealerId` over `materialIds` needs.
    public func orderContext(dealerId: String, materialIds: Set<String>) throws(StoreError) -> OrderContextRecords {
        try connection.withLock { holder throws(StoreError) -> OrderContextRecords in
            let db = holder.connection
            var records = OrderContextRecords(dealer: nil, knownMaterials: [], grantedMaterials: [], prices: [:], stock: [:])
            let dealer = try db.statement("SELECT dealer_id, status, credit_limit, currency FROM dealers WHERE dealer_id = ?")
            dealer.bind(1, dealerId)
            if try dealer.step() {
                records.dealer = .init(dealerId: dealer.string(0) ?? "", status: dealer.string(1) ?? "", creditLimit: dealer.string(2) ?? "0", currency: dealer.string(3) ?? "")
                _ = try dealer.step()
            }
            let groupsQuery = try db.statement("""
                SELECT group_id FROM dealer_groups WHERE dealer_id = ?1 UNION SELECT group_id FROM group_dealers WHERE dealer_id = ?1 ORDER BY 1
                """)
            groupsQuery.bind(1, dealerId)
            var groups: [String] = []
            while try groupsQuery.step() { groups.append(groupsQuery.string(0) ?? "") }

            for material in materialIds.sorted() {
                let known = try db.statement("SELECT product_line FROM materials WHERE material_id = ?")
                known.bind(1, material)
                guard try known.step() else { continue }
                let productLine = known.string(0) ?? ""
                _ = try known.step()
                records.knownMaterials.insert(material)
                for group in groups {
                    let granted = try db.statement("""
                        SELECT 1 FROM group_materials WHERE group_id = ?1 AND material_id = ?2
                        UNION SELECT 1 FROM group_product_lines WHERE group_id = ?1 AND product_line = ?3
                        """)
                    granted.bind(1, group)
                    granted.bind(2, material)
                    granted.bind(3, productLine)
                    if try granted.step() {
                        _ = try granted.step()
                        records.grantedMaterials.insert(material)
                    }
                    if records.prices[material] == nil {
                        let price = try db.statement("""
                            SELECT p.unit_price, p.per FROM prices p JOIN permission_groups g ON g.price_list_id = p.price_list_id
                            WHERE g.group_id = ? AND p.material_id = ?
                            """)
                        price.bind(1, group)
                        price.bind(2, material)
                        if try price.step() {
                            records.prices[material] = (price.string(0) ?? "0", price.string(1) ?? "1")
                            _ = try price.step()
                        }
                    }
                }
                let stock = try db.statement("""
                    SELECT DISTINCT s.warehouse_id, s.location_id, s.on_hand, s.reserved FROM stock s
                    JOIN group_stock_locations l ON l.warehouse_id = s.warehouse_id AND (l.location_id = '' OR l.location_id = s.location_id)
                    WHERE s.material_id = ? AND l.group_id IN (SELECT value FROM json_each(?))
                    ORDER BY s.warehouse_id, s.location_id
                    """)
                stock.bind(1, material)
                stock.bind(2, "[" + groups.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: ",") + "]")
                while try stock.step() {
                    records.stock[material, default: []].append(.init(warehouseId: stock.string(0) ?? "", locationId: stock.string(1) ?? "",
                                                                      onHand: stock.string(2) ?? "0", reserved: stock.string(3) ?? "0"))
                }
            }
            return records
        }
    }
}
