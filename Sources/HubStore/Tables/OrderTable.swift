public import Foundation
public import HubDomain
public import HubContracts

/// An order as the core first records it, with its decision.
public struct NewOrder: Sendable {
    public struct Line: Sendable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var kind: LineKind
        /// Set when the order was accepted.
        public var unitPrice: DecimalNumber?
        public var amount: DecimalNumber?
        /// The promotion that priced it, and the price list's price it replaced.
        public var promotionId: String?
        public var listUnitPrice: DecimalNumber?

        public init(lineNo: Int, materialId: String, quantity: DecimalNumber, kind: LineKind, unitPrice: DecimalNumber?, amount: DecimalNumber?,
                    promotionId: String? = nil, listUnitPrice: DecimalNumber? = nil) {
            self.promotionId = promotionId
            self.listUnitPrice = listUnitPrice
            self.lineNo = lineNo
            self.materialId = materialId
            self.quantity = quantity
            self.kind = kind
            self.unitPrice = unitPrice
            self.amount = amount
        }
    }

    public var orderId: String
    public var dealerId: String
    public var status: OrderStatus
    public var total: Money?
    public var requestedDeliveryDate: CalendarDate?
    public var channel: OrderChannel
    public var submittedBy: String
    /// What the submitting request asked for, as a digest (see ``OrderSubmission/requestDigest``).
    public var requestDigest: String?
    public var rejections: [RejectionReason]?
    public var lines: [Line]

    public init(orderId: String, dealerId: String, status: OrderStatus, total: Money?, requestedDeliveryDate: CalendarDate?, channel: OrderChannel,
                submittedBy: String, requestDigest: String? = nil, rejections: [RejectionReason]?, lines: [Line]) {
        self.orderId = orderId
        self.requestDigest = requestDigest
        self.dealerId = dealerId
        self.status = status
        self.total = total
        self.requestedDeliveryDate = requestedDeliveryDate
        self.channel = channel
        self.submittedBy = submittedBy
        self.rejections = rejections
        self.lines = lines
    }
}

/// One line of a recorded order, with what the ERP confirmed of it.
public struct StoredOrderLine: Sendable, Equatable {
    public var lineNo: Int
    public var materialId: String
    public var quantity: DecimalNumber
    public var confirmedQuantity: DecimalNumber?
    public var unitPrice: DecimalNumber?
}

/// What the ERP confirmed of one line.
public struct ConfirmedLine: Sendable {
    public var lineNo: Int
    public var confirmedQuantity: DecimalNumber
    /// What the line's status says (`confirmed`, or why the ERP rejected it).
    public var status: String

    public init(lineNo: Int, confirmedQuantity: DecimalNumber, status: String) {
        self.lineNo = lineNo
        self.confirmedQuantity = confirmedQuantity
        self.status = status
    }
}

/// Orders and their lines. Every change moves the order's version on, so a reader can tell a
/// newer view from an older one.
public struct OrderTable {
    let db: any SQLDatabase

    public func exists(_ orderId: String) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM orders WHERE order_id = ?", .text(orderId)) != nil
    }

    /// Records a submitted order at version 1, with its lines, placed at `placedAt` (the submission's
    /// time); whom it counts for (the dealer's branch, sales rep, province) and each line's product
    /// line are written as they are now, so later changes to the dealer or material leave them be.
    public func insert(_ order: NewOrder, placedAt: Timestamp, at now: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO orders (order_id, dealer_id, status, version, total, currency, requested_delivery_date, channel, submitted_by,
                                request_digest, rejections, submitted_at, updated_at, placed_at)
            VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(order.orderId), .text(order.dealerId), .text(order.status.rawValue), SQLValue(order.total?.amount.text), SQLValue(order.total?.currency),
            SQLValue(order.requestedDeliveryDate?.text), .text(order.channel.rawValue), .text(order.submittedBy), SQLValue(order.requestDigest),
            SQLValue(order.rejections.map(StoredJSON.encode)), .text(now.text), .text(now.text), .text(placedAt.text))
        try db.execute("""
            UPDATE orders SET (branch_id, sales_rep_id, province) = (SELECT d.branch_id, d.sales_rep_id, d.province FROM dealers d WHERE d.dealer_id = ?)
            WHERE order_id = ?
            """, .text(order.dealerId), .text(order.orderId))
        for line in order.lines {
            try db.execute("""
                INSERT INTO order_lines (order_id, line_no, material_id, quantity, kind, unit_price, amount, promotion_id, list_unit_price, product_line)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT m.product_line FROM materials m WHERE m.material_id = ?))
                """, .text(order.orderId), .integer(Int64(line.lineNo)), .text(line.materialId), .text(line.quantity.text), .text(line.kind.rawValue),
                SQLValue(line.unitPrice?.text), SQLValue(line.amount?.text), SQLValue(line.promotionId), SQLValue(line.listUnitPrice?.text), .text(line.materialId))
        }
    }

    /// The order's status; `nil` when the order is not known.
    public func status(of orderId: String) throws(StoreError) -> OrderStatus? {
        try db.first("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).flatMap { $0.string(0) }.map(OrderStatus.init(rawValue:))
    }

    /// The dealer the order is for; `nil` when the order is not known.
    public func dealerId(of orderId: String) throws(StoreError) -> String? {
        try db.first("SELECT dealer_id FROM orders WHERE order_id = ?", .text(orderId)).flatMap { $0.string(0) }
    }

    /// The totals of the dealer's orders in `statuses`.
    public func totals(dealerId: String, statuses: [OrderStatus]) throws(StoreError) -> [DecimalNumber] {
        try db.query("SELECT total FROM orders WHERE dealer_id = ? AND status IN (\(SQLText.placeholders(statuses.count)))",
                     [.text(dealerId)] + statuses.map { .text($0.rawValue) })
            .compactMap { $0.string(0).flatMap(DecimalNumber.init) }
    }

    /// The totals of the dealer's orders in `statuses` that the ERP has not invoiced yet (an invoiced order counts by its invoice).
    public func uninvoicedTotals(dealerId: String, statuses: [OrderStatus]) throws(StoreError) -> [DecimalNumber] {
        try db.query("""
            SELECT total FROM orders o WHERE o.dealer_id = ? AND o.status IN (\(SQLText.placeholders(statuses.count)))
            AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.order_id)
            """, [.text(dealerId)] + statuses.map { .text($0.rawValue) })
            .compactMap { $0.string(0).flatMap(DecimalNumber.init) }
    }

    /// The hub's order the ERP numbered `erpOrderNumber`; `nil` before its confirmation arrived.
    public func orderId(erpOrderNumber: String) throws(StoreError) -> String? {
        try db.first("SELECT order_id FROM orders WHERE erp_order_number = ?", .text(erpOrderNumber))?.string(0)
    }

    /// The numbers of the order's made-to-order lines.
    public func madeToOrderLines(of orderId: String) throws(StoreError) -> [Int] {
        try db.query("SELECT line_no FROM order_lines WHERE order_id = ? AND kind = ? ORDER BY line_no", .text(orderId), .text(LineKind.madeToOrder.rawValue))
            .map { $0.int(0) }
    }

    /// The order's lines, by line number.
    public func lines(of orderId: String) throws(StoreError) -> [StoredOrderLine] {
        try db.query("SELECT line_no, material_id, quantity, confirmed_quantity, unit_price FROM order_lines WHERE order_id = ? ORDER BY line_no",
                     .text(orderId)).map {
            StoredOrderLine(lineNo: $0.int(0), materialId: $0.string(1) ?? "", quantity: $0.string(2).flatMap(DecimalNumber.init) ?? DecimalNumber(0),
                            confirmedQuantity: $0.string(3).flatMap(DecimalNumber.init), unitPrice: $0.string(4).flatMap(DecimalNumber.init))
        }
    }

    /// The ERP's order number, the date it promised (when it gave one) and what it confirmed per line.
    public func recordConfirmation(_ orderId: String, erpOrderNumber: String, promisedDate: CalendarDate?, lines: [ConfirmedLine],
                                   at confirmedAt: Timestamp) throws(StoreError) {
        try db.execute("UPDATE orders SET erp_order_number = ?, promised_date = COALESCE(?, promised_date), confirmed_at = ? WHERE order_id = ?",
                       .text(erpOrderNumber), SQLValue(promisedDate?.text), .text(confirmedAt.text), .text(orderId))
        for line in lines {
            try db.execute("UPDATE order_lines SET confirmed_quantity = ?, line_status = ? WHERE order_id = ? AND line_no = ?",
                           .text(line.confirmedQuantity.text), .text(line.status), .text(orderId), .integer(Int64(line.lineNo)))
        }
    }

    public func recordRating(_ orderId: String, _ rating: OrderRating) throws(StoreError) {
        try db.execute("UPDATE orders SET rating = ? WHERE order_id = ?", .text(StoredJSON.encode(rating)), .text(orderId))
    }

    /// The receipt's speed, as ``ReceiptSpeed`` scored it: 1–5 and the hours from arrival to receipt.
    public func recordReceiptSpeed(_ orderId: String, score: Int, hours: DecimalNumber) throws(StoreError) {
        try db.execute("UPDATE orders SET receipt_score = ?, receipt_hours = ? WHERE order_id = ?", .integer(Int64(score)), .text(hours.text), .text(orderId))
    }

    /// Moves the order to `status`, one version on.
    public func move(_ orderId: String, to status: OrderStatus, at now: Timestamp) throws(StoreError) {
        try db.execute("UPDATE orders SET status = ?, version = version + 1, updated_at = ? WHERE order_id = ?",
                       .text(status.rawValue), .text(now.text), .text(orderId))
    }

    /// One version on without another status (something the order's view shows changed); `false`
    /// when the order is not known.
    public func touch(_ orderId: String, at now: Timestamp) throws(StoreError) -> Bool {
        try db.execute("UPDATE orders SET version = version + 1, updated_at = ? WHERE order_id = ?", .text(now.text), .text(orderId)) > 0
    }

    /// What fixing an order's dispatch reads: the plant the goods left from (the warehouse of its
    /// first reservation, else of the shipment that took it), the carrier (of the shipment named,
    /// else of the order's first shipment), and each line's quantity, price, litres and kilograms
    /// per unit and the material's cost per unit at that plant.
    public func dispatchInputs(_ orderId: String, shipmentId: String?) throws(StoreError) -> DispatchInputs {
        var plant = try db.first("""
            SELECT w.plant_id FROM order_reservations r JOIN warehouses w ON w.warehouse_id = r.warehouse_id WHERE r.order_id = ?
            ORDER BY r.line_no, r.warehouse_id LIMIT 1
            """, .text(orderId))?.string(0)
        if plant == nil {
            plant = try db.first("""
            SELECT w.plant_id FROM order_shipments os JOIN shipments s ON s.shipment_id = os.shipment_id
            JOIN warehouses w ON w.warehouse_id = s.origin_warehouse_id WHERE os.order_id = ? ORDER BY (s.shipment_id = ?) DESC, s.shipment_id LIMIT 1
            """, .text(orderId), .text(shipmentId ?? ""))?.string(0)
        }
        let carrier = try db.first("""
            SELECT s.carrier_id FROM order_shipments os JOIN shipments s ON s.shipment_id = os.shipment_id WHERE os.order_id = ?
            ORDER BY (s.shipment_id = ?) DESC, s.shipment_id LIMIT 1
            """, .text(orderId), .text(shipmentId ?? ""))?.string(0)
        let lines = try db.query("""
            SELECT l.line_no, COALESCE(l.confirmed_quantity, l.quantity), l.unit_price, m.volume_l, m.net_weight_kg, v.unit_cost
            FROM order_lines l LEFT JOIN materials m ON m.material_id = l.material_id
            LEFT JOIN material_valuations v ON v.material_id = l.material_id AND v.plant_id = ?
            WHERE l.order_id = ? ORDER BY l.line_no
            """, .text(plant ?? ""), .text(orderId)).map { row in
            let decimal = { (column: Int) in row.string(column).flatMap(DecimalNumber.init)?.value }
            return DispatchInputs.Line(lineNo: row.int(0), quantity: decimal(1) ?? 0, unitPrice: decimal(2), litresPerUnit: decimal(3),
                                       kilogramsPerUnit: decimal(4), unitCost: decimal(5))
        }
        return DispatchInputs(plantId: plant, carrierId: carrier, lines: lines)
    }

    /// Fixes what left when the order was dispatched (see ``dispatchInputs(_:shipmentId:)``).
    public func recordDispatch(_ orderId: String, at dispatchedAt: Timestamp, plantId: String?, carrierId: String?,
                               lines: [(lineNo: Int, quantity: Decimal, taken: OrderFacts.Taken)]) throws(StoreError) {
        try db.execute("UPDATE orders SET dispatched_at = ?, plant_id = ?, carrier_id = ? WHERE order_id = ?",
                       .text(dispatchedAt.text), SQLValue(plantId), SQLValue(carrierId), .text(orderId))
        for line in lines {
            try db.execute("""
                UPDATE order_lines SET taken_quantity = ?, taken_ml = ?, taken_g = ?, revenue_fen = ?, cost_fen = ? WHERE order_id = ? AND line_no = ?
                """, .text("\(line.quantity)"), .integer(line.taken.millilitres), .integer(line.taken.grams), .integer(line.taken.revenueFen),
                SQLValue(line.taken.costFen), .text(orderId), .integer(Int64(line.lineNo)))
        }
    }
}

/// What the core reads to fix an order's dispatch (``OrderTable/dispatchInputs(_:shipmentId:)``).
public struct DispatchInputs: Sendable {
    public struct Line: Sendable {
        public var lineNo: Int
        /// Confirmed by the ERP, else ordered.
        public var quantity: Decimal
        public var unitPrice: Decimal?
        public var litresPerUnit: Decimal?
        public var kilogramsPerUnit: Decimal?
        public var unitCost: Decimal?
    }

    public var plantId: String?
    public var carrierId: String?
    public var lines: [Line]
}
