/// One line of a submitted order.
public struct OrderLine: Sendable, Hashable, Codable {
    public var lineNo: Int
    public var materialId: String
    public var quantity: DecimalNumber
    public var kind: LineKind
    public var requestedDate: CalendarDate?

    public init(lineNo: Int, materialId: String, quantity: DecimalNumber, kind: LineKind, requestedDate: CalendarDate? = nil) {
        self.lineNo = lineNo
        self.materialId = materialId
        self.quantity = quantity
        self.kind = kind
        self.requestedDate = requestedDate
    }
}

/// `order.submit` on `hub.orders.commands`, and `order.submitted` on `hub.orders.events`.
public struct OrderSubmission: Sendable, Hashable, Codable {
    public var orderId: String
    public var dealerId: String
    public var lines: [OrderLine]
    public var requestedDeliveryDate: CalendarDate?
    public var deliveryAddress: Region?
    public var note: String?
    public var submittedBy: String
    /// SHA-256 (hex) of what the request asked for, when it came with an `Idempotency-Key`: the
    /// key is bound to it.
    public var requestDigest: String?
    public var channel: OrderChannel

    public init(orderId: String, dealerId: String, lines: [OrderLine], requestedDeliveryDate: CalendarDate? = nil, deliveryAddress: Region? = nil, note: String? = nil,
                submittedBy: String, requestDigest: String? = nil, channel: OrderChannel) {
        self.orderId = orderId
        self.requestDigest = requestDigest
        self.dealerId = dealerId
        self.lines = lines
        self.requestedDeliveryDate = requestedDeliveryDate
        self.deliveryAddress = deliveryAddress
        self.note = note
        self.submittedBy = submittedBy
        self.channel = channel
    }
}

/// `order.cancel` on `hub.orders.commands`.
public struct OrderCancellation: Sendable, Hashable, Codable {
    public var orderId: String
    public var reason: String
    public var requestedBy: String

    public init(orderId: String, reason: String, requestedBy: String) {
        self.orderId = orderId
        self.reason = reason
        self.requestedBy = requestedBy
    }
}

/// `order.confirm-receipt` on `hub.orders.commands`, and `order.received` on `hub.orders.events`.
public struct OrderReceipt: Sendable, Hashable, Codable {
    public var orderId: String
    public var receivedAt: Timestamp
    public var receivedBy: String

    public init(orderId: String, receivedAt: Timestamp, receivedBy: String) {
        self.orderId = orderId
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
    }
}

/// `order.rate` on `hub.orders.commands` and `order.rated` on `hub.orders.events` (R8): 1 to 5.
public struct OrderRating: Sendable, Hashable, Codable {
    public var orderId: String
    public var ratedBy: String
    public var productQuality: Int
    public var dispatchSpeed: Int
    public var serviceQuality: Int
    public var comment: String?

    public init(orderId: String, ratedBy: String, productQuality: Int, dispatchSpeed: Int, serviceQuality: Int, comment: String? = nil) {
        self.orderId = orderId
        self.ratedBy = ratedBy
        self.productQuality = productQuality
        self.dispatchSpeed = dispatchSpeed
        self.serviceQuality = serviceQuality
        self.comment = comment
    }
}

/// `order.accepted`: the price of every line and the stock reserved for spot lines.
public struct OrderAccepted: Sendable, Hashable, Codable {
    public struct Reservation: Sendable, Hashable, Codable {
        public var warehouseId: String
        public var locationId: String?
        public var quantity: DecimalNumber

        public init(warehouseId: String, locationId: String? = nil, quantity: DecimalNumber) {
            self.warehouseId = warehouseId
            self.locationId = locationId
            self.quantity = quantity
        }
    }
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var kind: LineKind
        public var unitPrice: DecimalNumber
        public var amount: DecimalNumber
        public var reservations: [Reservation]
        /// The promotion (announcement) whose price this is, when one was lower than the price list's.
        public var promotionId: String?
        /// The price list's unit price, when a promotion's replaced it; absent when the list had none.
        public var listUnitPrice: DecimalNumber?

        public init(lineNo: Int, materialId: String, quantity: DecimalNumber, kind: LineKind, unitPrice: DecimalNumber, amount: DecimalNumber, reservations: [Reservation],
                    promotionId: String? = nil, listUnitPrice: DecimalNumber? = nil) {
            self.lineNo = lineNo
            self.materialId = materialId
            self.quantity = quantity
            self.kind = kind
            self.unitPrice = unitPrice
            self.amount = amount
            self.reservations = reservations
            self.promotionId = promotionId
            self.listUnitPrice = listUnitPrice
        }
    }
    public var orderId: String
    public var dealerId: String
    public var lines: [Line]
    public var total: Money
    /// The dealer's requested delivery date, carried on to the ERP.
    public var requestedDeliveryDate: CalendarDate?

    public init(orderId: String, dealerId: String, lines: [Line], total: Money, requestedDeliveryDate: CalendarDate? = nil) {
        self.orderId = orderId
        self.dealerId = dealerId
        self.lines = lines
        self.total = total
        self.requestedDeliveryDate = requestedDeliveryDate
    }
}

/// One reason for a rejection; `lineNo` is absent when it concerns the whole order.
public struct RejectionReason: Sendable, Hashable, Codable {
    public var lineNo: Int?
    public var code: RejectionCode
    public var message: String

    public init(lineNo: Int? = nil, code: RejectionCode, message: String) {
        self.lineNo = lineNo
        self.code = code
        self.message = message
    }
}

/// `order.rejected`.
public struct OrderRejected: Sendable, Hashable, Codable {
    public var orderId: String
    public var dealerId: String
    public var reasons: [RejectionReason]

    public init(orderId: String, dealerId: String, reasons: [RejectionReason]) {
        self.orderId = orderId
        self.dealerId = dealerId
        self.reasons = reasons
    }
}

/// `order.confirmed`: the ERP's answer.
public struct OrderConfirmed: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var confirmedQuantity: DecimalNumber
        public var rejectionReason: String?

        public init(lineNo: Int, confirmedQuantity: DecimalNumber, rejectionReason: String? = nil) {
            self.lineNo = lineNo
            self.confirmedQuantity = confirmedQuantity
            self.rejectionReason = rejectionReason
        }
    }
    public var orderId: String
    public var erpOrderNumber: String
    /// Absent while the ERP cannot promise one yet (made-to-order lines not yet scheduled).
    public var promisedDate: CalendarDate?
    public var lines: [Line]

    public init(orderId: String, erpOrderNumber: String, promisedDate: CalendarDate?, lines: [Line]) {
        self.orderId = orderId
        self.erpOrderNumber = erpOrderNumber
        self.promisedDate = promisedDate
        self.lines = lines
    }
}

/// `order.scheduled`: made-to-order lines booked into production.
public struct OrderScheduled: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var plantId: String
        public var plannedDate: CalendarDate

        public init(lineNo: Int, plantId: String, plannedDate: CalendarDate) {
            self.lineNo = lineNo
            self.plantId = plantId
            self.plannedDate = plannedDate
        }
    }
    public var orderId: String
    public var lines: [Line]

    public init(orderId: String, lines: [Line]) {
        self.orderId = orderId
        self.lines = lines
    }
}

/// `order.produced`.
public struct OrderProduced: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var batch: String
        public var quantity: DecimalNumber

        public init(lineNo: Int, batch: String, quantity: DecimalNumber) {
            self.lineNo = lineNo
            self.batch = batch
            self.quantity = quantity
        }
    }
    public var orderId: String
    public var lines: [Line]

    public init(orderId: String, lines: [Line]) {
        self.orderId = orderId
        self.lines = lines
    }
}

/// `order.allocated`: stock picked for delivery.
public struct OrderAllocated: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var warehouseId: String
        public var quantity: DecimalNumber

        public init(lineNo: Int, warehouseId: String, quantity: DecimalNumber) {
            self.lineNo = lineNo
            self.warehouseId = warehouseId
            self.quantity = quantity
        }
    }
    public var orderId: String
    public var deliveryNumber: String
    public var lines: [Line]

    public init(orderId: String, deliveryNumber: String, lines: [Line]) {
        self.orderId = orderId
        self.deliveryNumber = deliveryNumber
        self.lines = lines
    }
}

/// `order.dispatched`.
public struct OrderDispatched: Sendable, Hashable, Codable {
    public var orderId: String
    public var shipmentId: String
    public var dispatchedAt: Timestamp

    public init(orderId: String, shipmentId: String, dispatchedAt: Timestamp) {
        self.orderId = orderId
        self.shipmentId = shipmentId
        self.dispatchedAt = dispatchedAt
    }
}

/// `order.delivered`.
public struct OrderDelivered: Sendable, Hashable, Codable {
    public var orderId: String
    public var shipmentId: String
    public var deliveredAt: Timestamp

    public init(orderId: String, shipmentId: String, deliveredAt: Timestamp) {
        self.orderId = orderId
        self.shipmentId = shipmentId
        self.deliveredAt = deliveredAt
    }
}

/// `order.cancelled` on `hub.orders.events`, and `tier2-order.cancelled` on `hub.tier2-orders`.
public struct OrderCancelled: Sendable, Hashable, Codable {
    public var orderId: String
    public var reason: String
    public var cancelledBy: String

    public init(orderId: String, reason: String, cancelledBy: String) {
        self.orderId = orderId
        self.reason = reason
        self.cancelledBy = cancelledBy
    }
}

/// `order.view` on `hub.orders.updates`: an order's whole current view.
public struct OrderView: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var kind: LineKind
        public var unitPrice: DecimalNumber?
        public var confirmedQuantity: DecimalNumber?
        public var status: String?
        /// The promotion that priced the line, if one did.
        public var promotionId: String?

        public init(lineNo: Int, materialId: String, quantity: DecimalNumber, kind: LineKind, unitPrice: DecimalNumber? = nil, confirmedQuantity: DecimalNumber? = nil,
                    status: String? = nil, promotionId: String? = nil) {
            self.lineNo = lineNo
            self.materialId = materialId
            self.quantity = quantity
            self.kind = kind
            self.unitPrice = unitPrice
            self.confirmedQuantity = confirmedQuantity
            self.status = status
            self.promotionId = promotionId
        }
    }
    public struct Shipment: Sendable, Hashable, Codable {
        public var shipmentId: String
        public var status: ShipmentStatus
        public var carrierId: String?
        public var plate: String?
        public var driverName: String?
        public var driverPhone: String?
        public var dispatchedAt: Timestamp?
        public var eta: Timestamp?
        public var carrierEta: Timestamp?
        public var late: Bool?
        public var position: GeoPosition?
        public var positionAt: Timestamp?

        public init(shipmentId: String, status: ShipmentStatus, carrierId: String? = nil, plate: String? = nil, driverName: String? = nil, driverPhone: String? = nil, dispatchedAt: Timestamp? = nil, eta: Timestamp? = nil, carrierEta: Timestamp? = nil, late: Bool? = nil, position: GeoPosition? = nil, positionAt: Timestamp? = nil) {
            self.shipmentId = shipmentId
            self.status = status
            self.carrierId = carrierId
            self.plate = plate
            self.driverName = driverName
            self.driverPhone = driverPhone
            self.dispatchedAt = dispatchedAt
            self.eta = eta
            self.carrierEta = carrierEta
            self.late = late
            self.position = position
            self.positionAt = positionAt
        }
    }
    public var orderId: String
    public var dealerId: String
    public var status: OrderStatus
    public var version: Int
    public var lines: [Line]
    public var total: Money?
    public var erpOrderNumber: String?
    public var promisedDate: CalendarDate?
    public var rejections: [RejectionReason]?
    public var shipments: [Shipment]
    public var updatedAt: Timestamp

    /// How the order's execution was rated (R8): the dealer's three marks, 1–5, once it rated, and the
    /// receipt's speed the hub scored when the dealer confirmed receipt (``ReceiptSpeed``, in HubDomain).
    public struct Rating: Sendable, Hashable, Codable {
        public var productQuality: Int?
        public var dispatchSpeed: Int?
        public var serviceQuality: Int?
        public var comment: String?
        public var receiptSpeed: Int?
        /// Hours from the goods' arrival to the receipt, to one decimal.
        public var receiptHours: DecimalNumber?

        public init(productQuality: Int? = nil, dispatchSpeed: Int? = nil, serviceQuality: Int? = nil, comment: String? = nil, receiptSpeed: Int? = nil,
                    receiptHours: DecimalNumber? = nil) {
            self.productQuality = productQuality
            self.dispatchSpeed = dispatchSpeed
            self.serviceQuality = serviceQuality
            self.comment = comment
            self.receiptSpeed = receiptSpeed
            self.receiptHours = receiptHours
        }
    }
    /// Absent until the dealer rated or the receipt was scored.
    public var rating: Rating?

    public init(orderId: String, dealerId: String, status: OrderStatus, version: Int, lines: [Line], total: Money? = nil, erpOrderNumber: String? = nil, promisedDate: CalendarDate? = nil, rejections: [RejectionReason]? = nil, shipments: [Shipment], updatedAt: Timestamp, rating: Rating? = nil) {
        self.rating = rating
        self.orderId = orderId
        self.dealerId = dealerId
        self.status = status
        self.version = version
        self.lines = lines
        self.total = total
        self.erpOrderNumber = erpOrderNumber
        self.promisedDate = promisedDate
        self.rejections = rejections
        self.shipments = shipments
        self.updatedAt = updatedAt
    }
}

/// `tier2-order.submitted` on `hub.tier2-orders`.
public struct Tier2OrderSubmitted: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var unitPrice: DecimalNumber?

        public init(lineNo: Int, materialId: String, quantity: DecimalNumber, unitPrice: DecimalNumber? = nil) {
            self.lineNo = lineNo
            self.materialId = materialId
            self.quantity = quantity
            self.unitPrice = unitPrice
        }
    }
    public var orderId: String
    /// The tier-2 dealer ordering.
    public var dealerId: String
    /// Its tier-1 parent, who supplies it.
    public var supplierDealerId: String
    public var lines: [Line]
    public var submittedBy: String
    /// SHA-256 (hex) of what the request asked for, when it came with an `Idempotency-Key`.
    public var requestDigest: String?

    public init(orderId: String, dealerId: String, supplierDealerId: String, lines: [Line], submittedBy: String, requestDigest: String? = nil) {
        self.orderId = orderId
        self.requestDigest = requestDigest
        self.dealerId = dealerId
        self.supplierDealerId = supplierDealerId
        self.lines = lines
        self.submittedBy = submittedBy
    }
}

/// `delivery-note.issued` on `hub.delivery-notes` (出库单).
public struct DeliveryNoteIssued: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var materialId: String
        public var quantity: DecimalNumber
        public var unitPrice: DecimalNumber
        public var unitCost: DecimalNumber?

        public init(materialId: String, quantity: DecimalNumber, unitPrice: DecimalNumber, unitCost: DecimalNumber? = nil) {
            self.materialId = materialId
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.unitCost = unitCost
        }
    }
    public var deliveryNoteId: String
    public var supplierDealerId: String
    public var customerDealerId: String
    public var orderId: String?
    public var issuedAt: Timestamp
    public var lines: [Line]

    public init(deliveryNoteId: String, supplierDealerId: String, customerDealerId: String, orderId: String? = nil, issuedAt: Timestamp, lines: [Line]) {
        self.deliveryNoteId = deliveryNoteId
        self.supplierDealerId = supplierDealerId
        self.customerDealerId = customerDealerId
        self.orderId = orderId
        self.issuedAt = issuedAt
        self.lines = lines
    }
}
