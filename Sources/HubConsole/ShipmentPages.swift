import Foundation
import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// The trucks on their way: staff see every open shipment to the dealers in their scope, a carrier
/// its own — on a map (clustered when many, over the province outlines) and in a list with the ETA,
/// late ones first and marked, paged; the positions refresh while the page is open. A carrier also
/// sees its vehicles: what each reported last and whether one on a shipment has gone silent.
extension Console {
    func shipmentScope(_ visitor: ConsoleVisitor) throws -> ShipmentBoard.Scope {
        if visitor.principal.role == .carrier, let carrier = visitor.principal.carrierId { return .carrier(carrier) }
        guard visitor.isStaff else { throw APIProblem.forbidden("the trucks' map is for staff and carriers") }
        return .dealers(visitor.principal.dealerVisibility)
    }

    static let shipmentsPageSize = 50

    /// The list is paged (late ones first; `late=1` only those); the map's trucks come from
    /// `/shipments/positions` once the page is open, so the page stays small with thousands on the road.
    func shipments(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let scope = try shipmentScope(visitor)
        let query = request.uri.queryParameters
        let lateOnly = query["late"] == "1"
        let offset = max(0, min(Int(query["offset"].map(String.init) ?? "") ?? 0, 1_000_000))
        let carrier: String? = if case .carrier(let carrier) = scope { carrier } else { nil }
        let (counts, rows, fleet, terminals) = try await services.database.read { reader throws(StoreError) in
            (try reader.shipmentBoard.counts(scope), try reader.shipmentBoard.open(scope, lateOnly: lateOnly, offset: offset, limit: Self.shipmentsPageSize),
             try carrier.map { carrier throws(StoreError) in try reader.shipmentBoard.fleet(of: carrier) } ?? [],
             try reader.shipmentBoard.terminalCounts(carrierId: carrier))
        }
        let language = visitor.language
        let listed = lateOnly ? counts.late : counts.open
        func link(_ offset: Int) -> String { "/shipments?" + (lateOnly ? "late=1&" : "") + "offset=\(offset)" }
        return Page(template: "shipments", title: ConsoleText.text(visitor.principal.role == .carrier ? "myShipments" : "trucks", language), context: [
            "rows": rows.map { row -> [String: Any] in
                ["shipmentId": row.shipmentId, "carrierId": row.carrierId, "statusLabel": StatusLabels.shipment(row.status, language),
                 "plate": row.plate ?? "—", "driver": row.driverName ?? "—", "dealer": row.destinationDealerId ?? "—",
                 "eta": ConsoleFormat.time(row.eta ?? row.carrierEta, language), "late": row.late, "exception": row.exception ?? "",
                 "lastFix": row.position.map { ConsoleFormat.time($0.at, language) } ?? "—"]
            },
            "empty": rows.isEmpty,
            "summary": ConsoleText.text("shipmentsSummary", language).replacingOccurrences(of: "{n}", with: "\(counts.open)")
                .replacingOccurrences(of: "{late}", with: "\(counts.late)"),
            "lateOnly": lateOnly, "hasLate": counts.late > 0,
            "next": offset + Self.shipmentsPageSize < listed ? link(offset + Self.shipmentsPageSize) : "",
            "previous": offset > 0 ? link(max(0, offset - Self.shipmentsPageSize)) : "",
            "hasMap": assets.hasMap,
            "isCarrier": carrier != nil, "fleet": Self.fleet(fleet, now: Date(), language), "noVehicles": fleet.isEmpty,
            "terminals": ConsoleText.text("terminalsSummary", language).replacingOccurrences(of: "{online}", with: "\(terminals.online)")
                .replacingOccurrences(of: "{known}", with: "\(terminals.known)"),
        ])
    }

    /// Minutes without a fix after which a truck on a shipment is marked silent.
    static let silentAfter: TimeInterval = 30 * 60

    /// A truck on a shipment that has not reported for `silentAfter` (or never): someone should call the driver.
    static func isSilent(onShipment: Bool, lastReport: Date?, now: Date) -> Bool {
        guard onShipment else { return false }
        guard let lastReport else { return true }
        return now.timeIntervalSince(lastReport) > silentAfter
    }

    /// A carrier's vehicles as its page lists them: what each reported last (when, where, how fast), the
    /// shipment it is on, and whether it has gone silent while on one.
    static func fleet(_ vehicles: [ShipmentBoard.Vehicle], now: Date, _ language: ConsoleLanguage) -> [[String: Any]] {
        vehicles.map { vehicle in
            let silent = isSilent(onShipment: vehicle.shipmentId != nil, lastReport: vehicle.lastFix.flatMap { Timestamp(parsing: $0.at)?.date }, now: now)
            return ["vehicleId": vehicle.vehicleId, "plate": vehicle.plate, "terminalId": vehicle.terminalId,
                    "lastFix": vehicle.lastFix.map { ConsoleFormat.time($0.at, language) } ?? "—",
                    "where": vehicle.lastFix.map { String(format: "%.4f, %.4f", $0.lat, $0.lon) } ?? "—",
                    "speed": vehicle.lastFix.map { String(format: "%.0f km/h", $0.speedKmh) } ?? "—",
                    "shipmentId": vehicle.shipmentId ?? "—", "silent": silent,
                    "online": vehicle.terminalSession?.online == true, "offline": vehicle.terminalSession?.online == false, "never": vehicle.terminalSession == nil,
                    "terminalSince": vehicle.terminalSession.map { ConsoleText.text("terminalSince", language).replacingOccurrences(of: "{t}", with: ConsoleFormat.time($0.since, language)) } ?? ""]
        }
    }

    /// The trucks with a fix, as the map's script reads them (five decimals: about a metre).
    static func trucksJSON(_ trucks: [ShipmentBoard.Truck]) -> String {
        let written: [[String: Any]] = trucks.map { truck in
            ["id": truck.shipmentId, "lat": (truck.lat * 100_000).rounded() / 100_000, "lon": (truck.lon * 100_000).rounded() / 100_000,
             "plate": truck.plate ?? "", "late": truck.late, "dealer": truck.destinationDealerId ?? ""]
        }
        return (try? JSONSerialization.data(withJSONObject: written)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// `GET /shipments/positions`: the same trucks as JSON, for the open page's refresh — 401 without
    /// a session, 403 for a visitor with no trucks to see, 503 while the database does not answer.
    func truckPositions(_ request: Request) async -> Response {
        func answer(_ status: HTTPResponse.Status, _ json: String) -> Response {
            Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        guard case .success(let visitor) = await services.visitor(request) else { return answer(.unauthorized, #"{"detail":"sign in first"}"#) }
        guard let scope = try? shipmentScope(visitor) else { return answer(.forbidden, #"{"detail":"the trucks' map is for staff and carriers"}"#) }
        guard let rows = try? await services.database.read({ reader throws(StoreError) in try reader.shipmentBoard.trucks(scope) }) else {
            return answer(.serviceUnavailable, #"{"detail":"the hub's database did not answer: try again"}"#)
        }
        return answer(.ok, #"{"trucks":\#(Self.trucksJSON(rows))}"#)
    }
}
