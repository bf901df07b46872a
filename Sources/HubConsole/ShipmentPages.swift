import Foundation
import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// The trucks on their way: staff see every open shipment to the dealers in their scope, a carrier
/// its own — on a map (clustered when many, over the province outlines) and in a list with the ETA,
/// late ones first and marked; the positions refresh while the page is open.
extension Console {
    func shipmentScope(_ visitor: ConsoleVisitor) throws -> ShipmentBoard.Scope {
        if visitor.principal.role == .carrier, let carrier = visitor.principal.carrierId { return .carrier(carrier) }
        guard visitor.isStaff else { throw APIProblem.forbidden("the trucks' map is for staff and carriers") }
        return .dealers(visitor.principal.dealerVisibility)
    }

    func shipments(_ visitor: ConsoleVisitor) async throws -> Page {
        let scope = try shipmentScope(visitor)
        let rows = try await services.database.read { reader throws(StoreError) in try reader.shipmentBoard.open(scope) }
        let language = visitor.language
        let late = rows.filter(\.late).count
        return Page(template: "shipments", title: ConsoleText.text(visitor.principal.role == .carrier ? "myShipments" : "trucks", language), context: [
            "rows": rows.map { row -> [String: Any] in
                ["shipmentId": row.shipmentId, "carrierId": row.carrierId, "statusLabel": StatusLabels.shipment(row.status, language),
                 "plate": row.plate ?? "—", "driver": row.driverName ?? "—", "dealer": row.destinationDealerId ?? "—",
                 "eta": ConsoleFormat.time(row.eta ?? row.carrierEta, language), "late": row.late, "exception": row.exception ?? "",
                 "lastFix": row.position.map { ConsoleFormat.time($0.at, language) } ?? "—"]
            },
            "empty": rows.isEmpty,
            "summary": ConsoleText.text("shipmentsSummary", language).replacingOccurrences(of: "{n}", with: "\(rows.count)")
                .replacingOccurrences(of: "{late}", with: "\(late)"),
            "trucks": Self.trucksJSON(rows), "hasMap": assets.hasMap,
        ])
    }

    /// The trucks with a fix, as the map's script reads them.
    static func trucksJSON(_ rows: [ShipmentBoard.Row]) -> String {
        let trucks: [[String: Any]] = rows.compactMap { row in
            guard let fix = row.position else { return nil }
            return ["id": row.shipmentId, "lat": fix.lat, "lon": fix.lon, "plate": row.plate ?? "", "late": row.late, "dealer": row.destinationDealerId ?? ""]
        }
        return (try? JSONSerialization.data(withJSONObject: trucks)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// `GET /shipments/positions`: the same trucks as JSON, for the open page's refresh.
    func truckPositions(_ request: Request) async -> Response {
        guard case .success(let visitor) = await services.visitor(request), let scope = try? shipmentScope(visitor),
              let rows = try? await services.database.read({ reader throws(StoreError) in try reader.shipmentBoard.open(scope) }) else {
            return Response(status: .unauthorized, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"trucks":[]}"#)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"trucks":\#(Self.trucksJSON(rows))}"#)))
    }
}
