public import HubContracts

/// Reads a `vehicle.position` envelope from its bytes straight into a ``VehicleFix``: the core's
/// hot path. A single-pass scanner reads the few fields it needs instead of building a JSON tree
/// or going through `JSONDecoder` (about 90,000 small messages/s per core on this machine, per
/// docs/environment.md: the whole budget of the hot path).
public enum VehicleFixReader {
    /// Why a position message cannot be applied: which field, and why.
    public struct Rejection: Error, Sendable, CustomStringConvertible {
        public var field: String
        public var reason: String
        public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
    }

    public static let eventType = EventKind.vehiclePosition.type

    /// The event id and fix in `bytes`.
    public static func read(_ bytes: [UInt8], limits: InputLimits = .standard) throws(Rejection) -> IdentifiedFixValue {
        let fields: PositionEventScanner.Fields
        do {
            fields = try PositionEventScanner.scan(bytes, limits: limits)
        } catch {
            throw Rejection(field: error.field, reason: error.reason)
        }
        guard let type = fields.type else { throw Rejection(field: "type", reason: "required field missing") }
        guard type == eventType else { throw Rejection(field: "type", reason: "expected \(eventType), got \(type)") }
        guard let id = fields.id, !id.isEmpty else { throw Rejection(field: "id", reason: "required field missing") }
        guard fields.hasData else { throw Rejection(field: "data", reason: "required field missing") }
        // The envelope is checked as fully as the general decoder checks it.
        guard let source = fields.envelopeSource, !source.isEmpty, source.count <= 100 else { throw Rejection(field: "source", reason: "a non-empty string is required") }
        guard let subject = fields.subject, !subject.isEmpty, subject.count <= 128 else { throw Rejection(field: "subject", reason: "a non-empty string is required") }
        guard let occurred = fields.occurredAt, Timestamp(parsing: occurred) != nil else {
            throw Rejection(field: "occurredAt", reason: "an RFC 3339 UTC timestamp is required")
        }
        guard let version = fields.schemaVersion, version.isInteger, (1...1000).contains(version.value) else {
            throw Rejection(field: "schemaVersion", reason: "an integer from 1 is required")
        }

        func text(_ value: String?, _ name: String) throws(Rejection) -> String {
            guard let value, !value.isEmpty, value.count <= 128 else { throw Rejection(field: "data.\(name)", reason: "a non-empty string of at most 128 characters is required") }
            return value
        }
        func number(_ value: Double?, _ name: String, _ range: ClosedRange<Double>) throws(Rejection) -> Double {
            guard let value else { throw Rejection(field: "data.\(name)", reason: "a number is required") }
            guard range.contains(value) else { throw Rejection(field: "data.\(name)", reason: "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
            return value
        }
        let fixText = try text(fields.fixAt, "fixAt")
        guard let fixAt = Timestamp(parsing: fixText) else { throw Rejection(field: "data.fixAt", reason: "\"\(fixText)\" is not an RFC 3339 UTC timestamp") }
        guard let heading = fields.heading, heading.isInteger else { throw Rejection(field: "data.heading", reason: "an integer is required") }
        let altitude = try fields.altitudeM.map { value throws(Rejection) -> Int in
            guard value.isInteger, (-500...9000).contains(value.value) else {
                throw Rejection(field: "data.altitudeM", reason: "an integer in -500…9000 is required")
            }
            return Int(value.value)
        }
        let fix = VehicleFix(
            vehicleId: try text(fields.vehicleId, "vehicleId"), fixAt: fixAt,
            lat: try number(fields.lat, "lat", -90...90), lon: try number(fields.lon, "lon", -180...180),
            speedKmh: try number(fields.speedKmh, "speedKmh", 0...400), heading: Int(try number(heading.value, "heading", 0...359)),
            altitudeM: altitude,
            alarmFlags: fields.alarmFlags.map { UInt32(clamping: Int64($0)) },
            statusFlags: fields.statusFlags.map { UInt32(clamping: Int64($0)) },
            source: PositionSource(rawValue: try text(fields.source, "source")),
            carrierId: try fields.carrierId.map { value throws(Rejection) in try text(value, "carrierId") }
        )
        return IdentifiedFixValue(eventId: id, fix: fix)
    }
}

/// An event id and the fix it carried.
public struct IdentifiedFixValue: Sendable {
    public var eventId: String
    public var fix: VehicleFix
}
