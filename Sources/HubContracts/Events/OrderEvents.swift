/// One line of a submitted order.
public struct OrderLine: Sendable, Hashable, Codable {
    public var lineNo: Int
    public var materialId: String
    public var quantity: DecimalNumber
    public var kind: LineKind
    public var requestedDate: CalendarDate?
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
    public var channel: OrderChannel
}

/// `order.cancel` on `hub.orders.commands`.
public struct OrderCancellation: Sendable, Hashable, Codable {
    public var orderId: String
    public var reason: String
    public var requestedBy: String
}

/// `order.confirm-receipt` on `hub.orders.commands`.
public struct OrderReceiptConfirmation: Sendable, Hashable, Codable {
    public var orderId: String
    public var receivedAt: Timestamp
    public var receivedBy: String
}

/// `order.rate` on `hub.orders.commands` and `order.rated` on `hub.orders.events` (R8): 1 to 5.
public struct OrderRating: Sendable, Hashable, Codable {
    public var orderId: String
    public var ratedBy: String
    public var productQuality: Int
    public var dispatchSpeed: Int
    public var serviceQuality: Int
    public var comment: String?
}

/// `order.accepted`: the price of every line and the stock reserved for spot lines.
public struct OrderAccepted: Sendable, Hashable, Codable {
    public struct Reservation: Sendable, Hashable, Codable {
        public var warehouseId: String
        public var locationId: String?
        public var quantity: DecimalNumber
    }
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var kind: LineKind
        public var unitPrice: DecimalNumber
        public var amount: DecimalNumber
        public var reservations: [Reservation]
    }
    public var orderId: String
    public var dealerId: String
    public var lines: [Line]
    public var total: Money
}

/// One reason for a rejection; `lineNo` is absent when it concerns the whole order.
public struct RejectionReason: Sendable, Hashable, Codable {
    public var lineNo: Int?
    public var code: RejectionCode
    public var message: String
}

/// `order.rejected`.
public struct OrderRejected: Sendable, Hashable, Codable {
    public var orderId: String
    public var dealerId: String
    public var reasons: [RejectionReason]
}

/// `order.confirmed`: the ERP's answer.
public struct OrderConfirmed: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var confirmedQuantity: DecimalNumber
        public var rejectionReason: String?
    }
    public var orderId: String
    public var erpOrderNumber: String
    public var promisedDate: CalendarDate
    public var lines: [Line]
}

/// `order.scheduled`: made-to-order lines booked into production.
public struct OrderScheduled: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var plantId: String
        public var plannedDate: CalendarDate
    }
    public var orderId: String
    public var lines: [Line]
}

/// `order.produced`.
public struct OrderProduced: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var batch: String
        public var quantity: DecimalNumber
    }
    public var orderId: String
    public var lines: [Line]
}

/// `order.allocated`: stock picked for delivery.
public struct OrderAllocated: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var warehouseId: String
        public var quantity: DecimalNumber
    }
    public var orderId: String
    public var deliveryNumber: String
    public var lines: [Line]
}

/// `order.dispatched`.
public struct OrderDispatched: Sendable, Hashable, Codable {
    public var orderId: String
    public var shipmentId: String
    public var dispatchedAt: Timestamp
}

/// `order.delivered`.
public struct OrderDelivered: Sendable, Hashable, Codable {
    public var orderId: String
    public var shipmentId: String
    public var deliveredAt: Timestamp
}

/// `order.received`.
public struct OrderReceived: Sendable, Hashable, Codable {
    public var orderId: String
    public var receivedAt: Timestamp
    public var receivedBy: String
}

/// `order.cancelled`.
public struct OrderCancelled: Sendable, Hashable, Codable {
    public var orderId: String
    public var reason: String
    public var cancelledBy: String
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
}

/// `tier2-order.submitted` on `hub.tier2-orders`.
public struct Tier2OrderSubmitted: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        public var materialId: String
        public var quantity: DecimalNumber
        public var unitPrice: DecimalNumber?
    }
    public var orderId: String
    /// The tier-2 dealer ordering.
    public var dealerId: String
    /// Its tier-1 parent, who supplies it.
    public var supplierDealerId: String
    public var lines: [Line]
    public var submittedBy: String
}

/// `tier2-order.cancelled`.
public struct Tier2OrderCancelled: Sendable, Hashable, Codable {
    public var orderId: String
    public var reason: String
    public var cancelledBy: String
}

/// `delivery-note.issued` on `hub.delivery-notes` (出库单).
public struct DeliveryNoteIssued: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var materialId: String
        public var quantity: DecimalNumber
        public var unitPrice: DecimalNumber
        public var unitCost: DecimalNumber?
    }
    public var deliveryNoteId: String
    public var supplierDealerId: String
    public var customerDealerId: String
    public var orderId: String?
    public var issuedAt: Timestamp
    public var lines: [Line]
}
