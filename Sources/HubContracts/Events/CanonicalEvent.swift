import Foundation

/// The `data` of a canonical event: one of the event structs of this module.
public protocol CanonicalPayload: Sendable, Codable {}

extension DealerUpserted: CanonicalPayload {}
extension DealerCreditLimitSet: CanonicalPayload {}
extension PermissionGroupUpserted: CanonicalPayload {}
extension MaterialUpserted: CanonicalPayload {}
extension PriceListUpserted: CanonicalPayload {}
extension WarehouseUpserted: CanonicalPayload {}
extension OrderSubmission: CanonicalPayload {}
extension OrderCancellation: CanonicalPayload {}
extension OrderReceipt: CanonicalPayload {}
extension OrderRating: CanonicalPayload {}
extension OrderAccepted: CanonicalPayload {}
extension OrderRejected: CanonicalPayload {}
extension OrderConfirmed: CanonicalPayload {}
extension OrderScheduled: CanonicalPayload {}
extension OrderProduced: CanonicalPayload {}
extension OrderAllocated: CanonicalPayload {}
extension OrderDispatched: CanonicalPayload {}
extension OrderDelivered: CanonicalPayload {}
extension OrderCancelled: CanonicalPayload {}
extension OrderView: CanonicalPayload {}
extension Tier2OrderSubmitted: CanonicalPayload {}
extension DeliveryNoteIssued: CanonicalPayload {}
extension InventoryMoved: CanonicalPayload {}
extension StockSnapshot: CanonicalPayload {}
extension DealerStockSnapshot: CanonicalPayload {}
extension SellThroughRecorded: CanonicalPayload {}
extension ShipmentCreated: CanonicalPayload {}
extension ShipmentVehicleAssigned: CanonicalPayload {}
extension ShipmentDispatched: CanonicalPayload {}
extension ShipmentEtaReported: CanonicalPayload {}
extension ShipmentArrived: CanonicalPayload {}
extension ShipmentDelivered: CanonicalPayload {}
extension ShipmentException: CanonicalPayload {}
extension VehicleRegistered: CanonicalPayload {}
extension VehicleFix: CanonicalPayload {}
extension ServiceRecordCreated: CanonicalPayload {}
extension AuthenticityScanned: CanonicalPayload {}
extension AuthenticityFlagged: CanonicalPayload {}

/// The data of an event type this build does not know (a newer producer's): kept as JSON, so it
/// is passed on unchanged rather than lost or failed.
public struct UnknownPayload: CanonicalPayload, Hashable {
    public var json: JSONValue
    public init(json: JSONValue) { self.json = json }
    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an unknown payload is read with CanonicalEvent.decode"))
    }
    public func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(json, .init(codingPath: encoder.codingPath, debugDescription: "an unknown payload is written with CanonicalEvent.encoded"))
    }
}

/// Why bytes are not a canonical event: which field, and why.
public struct CanonicalEventError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// A canonical event: the envelope every `hub.*` value travels in, and its typed data.
public struct CanonicalEvent: Sendable {
    /// Unique and stable across retries.
    public var id: String
    /// The event type, e.g. `order.accepted`; it says which struct `data` is.
    public var type: String
    public var source: String
    public var occurredAt: Timestamp
    /// The entity the event is about; also the Kafka key.
    public var subject: String
    public var schemaVersion: Int
    public var data: any CanonicalPayload

    public init(id: String, type: String, source: String, occurredAt: Timestamp, subject: String, schemaVersion: Int = 1, data: any CanonicalPayload) {
        self.id = id
        self.type = type
        self.source = source
        self.occurredAt = occurredAt
        self.subject = subject
        self.schemaVersion = schemaVersion
        self.data = data
    }

    /// The struct that carries each event type's data.
    public static let payloadTypes: [String: any CanonicalPayload.Type] = [
        "dealer.upserted": DealerUpserted.self, "dealer.credit-limit-set": DealerCreditLimitSet.self,
        "permission-group.upserted": PermissionGroupUpserted.self, "material.upserted": MaterialUpserted.self,
        "price-list.upserted": PriceListUpserted.self, "warehouse.upserted": WarehouseUpserted.self,
        "order.submit": OrderSubmission.self, "order.cancel": OrderCancellation.self,
        "order.confirm-receipt": OrderReceipt.self, "order.rate": OrderRating.self,
        "order.submitted": OrderSubmission.self, "order.accepted": OrderAccepted.self, "order.rejected": OrderRejected.self,
        "order.confirmed": OrderConfirmed.self, "order.scheduled": OrderScheduled.self, "order.produced": OrderProduced.self,
        "order.allocated": OrderAllocated.self, "order.dispatched": OrderDispatched.self, "order.delivered": OrderDelivered.self,
        "order.received": OrderReceipt.self, "order.rated": OrderRating.self, "order.cancelled": OrderCancelled.self,
        "order.view": OrderView.self,
        "tier2-order.submitted": Tier2OrderSubmitted.self, "tier2-order.cancelled": OrderCancelled.self,
        "delivery-note.issued": DeliveryNoteIssued.self,
        "inventory.moved": InventoryMoved.self, "stock.snapshot": StockSnapshot.self, "dealer-stock.snapshot": DealerStockSnapshot.self,
        "sell-through.recorded": SellThroughRecorded.self,
        "shipment.created": ShipmentCreated.self, "shipment.vehicle-assigned": ShipmentVehicleAssigned.self,
        "shipment.dispatched": ShipmentDispatched.self, "shipment.eta-reported": ShipmentEtaReported.self,
        "shipment.arrived": ShipmentArrived.self, "shipment.delivered": ShipmentDelivered.self, "shipment.exception": ShipmentException.self,
        "vehicle.registered": VehicleRegistered.self, "vehicle.position": VehicleFix.self,
        "service-record.created": ServiceRecordCreated.self,
        "authenticity.scanned": AuthenticityScanned.self, "authenticity.flagged": AuthenticityFlagged.self,
    ]

    /// Reads an event; an unknown `type` keeps its data as ``UnknownPayload``.
    public static func decode(_ bytes: [UInt8], limits: InputLimits = .standard) throws(CanonicalEventError) -> CanonicalEvent {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, limits: limits)
        } catch {
            throw CanonicalEventError(field: "", reason: error.description)
        }
        return try decode(json)
    }

    /// Reads an event from parsed JSON.
    public static func decode(_ json: JSONValue) throws(CanonicalEventError) -> CanonicalEvent {
        func text(_ name: String) throws(CanonicalEventError) -> String {
            guard let value = json[name]?.stringValue else { throw CanonicalEventError(field: name, reason: "a string is required") }
            return value
        }
        let occurred = try text("occurredAt")
        guard let occurredAt = Timestamp(parsing: occurred) else {
            throw CanonicalEventError(field: "occurredAt", reason: "\"\(occurred)\" is not an RFC 3339 UTC timestamp")
        }
        guard let version = json["schemaVersion"], version.isInteger, let schemaVersion = version.doubleValue.map(Int.init) else {
            throw CanonicalEventError(field: "schemaVersion", reason: "an integer is required")
        }
        guard let data = json["data"], case .object = data else { throw CanonicalEventError(field: "data", reason: "an object is required") }
        let type = try text("type")
        let payload: any CanonicalPayload
        if let payloadType = payloadTypes[type] {
            do {
                payload = try JSONValueDecoder.decode(payloadType, from: data)
            } catch let error as DecodingError {
                throw CanonicalEventError(field: "data", reason: "\(type): \(Self.describe(error))")
            } catch {
                throw CanonicalEventError(field: "data", reason: "\(type): \(error)")
            }
        } else {
            payload = UnknownPayload(json: data)
        }
        return CanonicalEvent(
            id: try text("id"), type: type, source: try text("source"), occurredAt: occurredAt,
            subject: try text("subject"), schemaVersion: schemaVersion, data: payload
        )
    }

    /// The event as JSON (sorted keys), ready to publish.
    public func json() throws(CanonicalEventError) -> JSONValue {
        let data: JSONValue
        if let unknown = self.data as? UnknownPayload {
            data = unknown.json
        } else {
            do {
                data = try JSONValueEncoder.encode(self.data)
            } catch {
                throw CanonicalEventError(field: "data", reason: "cannot be encoded: \(error)")
            }
        }
        return .object([
            "id": .string(id), "type": .string(type), "source": .string(source), "occurredAt": .string(occurredAt.text),
            "subject": .string(subject), "schemaVersion": .number(String(schemaVersion)), "data": data,
        ])
    }

    /// The event's bytes, ready to publish: `json()` written out, written directly (``JSONBytesEncoder``);
    /// through `json()` for data of an unknown type, and to say where a value cannot be encoded.
    public func encoded() throws(CanonicalEventError) -> [UInt8] {
        if !(data is UnknownPayload), let bytes = try? directlyEncoded() { return bytes }
        return try json().bytes
    }

    /// The members of `json()` in key order: data, id, occurredAt, schemaVersion, source, subject, type.
    private func directlyEncoded() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.append(contentsOf: #"{"data":"#.utf8)
        try JSONBytesEncoder.append(data, to: &bytes)
        func member(_ key: String, _ text: String) {
            bytes.append(contentsOf: ",\"\(key)\":".utf8)
            JSONValue.writeString(text, to: &bytes)
        }
        member("id", id)
        member("occurredAt", occurredAt.text)
        bytes.append(contentsOf: #","schemaVersion":"#.utf8)
        bytes.append(contentsOf: String(schemaVersion).utf8)
        member("source", source)
        member("subject", subject)
        member("type", type)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue): required field missing"
        case .typeMismatch(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "\(path(context)): a value is required"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
