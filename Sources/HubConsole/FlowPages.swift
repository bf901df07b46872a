import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// The channel in the console (流向, R2/R3): where goods went after the dealer — from dealers'
/// own systems and from the books they keep here — as the visitor may see it (a dealer its own and
/// what its groups' flows add, staff the dealers in their scope): by province, with the sales
/// across regions marked, record by record, and beside them the anti-counterfeit system's
/// cross-region flags for the same dealers. Stock and days of cover per material are on each
/// dealer's figures page, linked.
extension Console {
    /// `/flows?dealerId=&materialId=&province=&from=&to=` (dates, China time).
    func flows(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        let reader: SellThroughReadModel.Reader
        if principal.role == .dealer, let dealerId = principal.dealerId {
            reader = .dealer(dealerId)
        } else if principal.role.isStaff {
            reader = .staff(principal.dealerVisibility)
        } else {
            throw APIProblem.forbidden("flows are the dealers' and the company's")
        }
        let query = request.uri.queryParameters
        var filter = SellThroughReadModel.Filter()
        let text = { (name: String) in query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        filter.dealerId = text("dealerId").flatMap { RequestFields.isIdentifier($0) ? $0 : nil }
        filter.materialId = text("materialId").flatMap { RequestFields.isIdentifier($0) ? $0 : nil }
        filter.province = text("province").flatMap { (1...20).contains($0.count) ? $0 : nil }
        if let from = text("from").flatMap(CalendarDate.init).flatMap(\.dayNumber) { filter.from = DayPeriod.midnight(from) }
        if let to = text("to").flatMap(CalendarDate.init).flatMap(\.dayNumber) { filter.to = DayPeriod.midnight(to + 1) }
        filter.limit = 100
        let asked = filter
        let (records, destinations, flags) = try await services.database.read { reader_ throws(StoreError) in
            (try reader_.sellThrough.records(for: reader, asked), try reader_.sellThrough.destinations(for: reader, asked),
             try reader_.sellThrough.crossRegionFlags(for: reader))
        }
        let language = visitor.language
        let ownFigures = principal.role == .dealer ? principal.dealerId.map { "/analytics/dealers/\($0)" } : nil
        return Page(template: "flows", title: ConsoleText.text("flows", language), context: [
            "staff": principal.role.isStaff, "dealerId": filter.dealerId ?? "", "materialId": filter.materialId ?? "", "province": filter.province ?? "",
            "from": text("from") ?? "", "to": text("to") ?? "", "ownFigures": ownFigures ?? "",
            "destinations": destinations.map { d -> [String: Any] in
                ["province": d.province, "records": d.records, "volume": ConsoleFormat.volume(MinorUnits.text(d.millilitres, scale: 3)),
                 "crossRegion": d.crossRegionRecords, "hasCross": d.crossRegionRecords > 0,
                 "href": "/flows?province=\(d.province.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")"]
            },
            "hasDestinations": !destinations.isEmpty,
            "records": records.map { r -> [String: Any] in
                ["soldAt": ConsoleFormat.time(r.soldAt, language), "dealerId": r.dealerId, "materialId": r.materialId, "quantity": r.quantity,
                 "customerKind": ConsoleText.text("customerKind.\(r.customer.kind == "tier2" ? "tier2-dealer" : r.customer.kind)", language),
                 "customer": r.customer.id ?? "—", "where": [r.customer.province, r.customer.city].compactMap { $0 }.joined(separator: " "),
                 "crossRegion": r.crossRegion, "fromBooks": r.recordId.hasPrefix("books:"),
                 "price": r.unitPrice.map { ConsoleFormat.money($0) } ?? "—", "figures": "/analytics/dealers/\(r.dealerId)"]
            },
            "hasRecords": !records.isEmpty,
            "flags": flags.map { f -> [String: Any] in
                ["code": f.code, "dealerId": f.dealerId ?? "—", "home": f.dealerRegion?.province ?? "—",
                 "scanned": [f.scanRegion.province, f.scanRegion.city].compactMap { $0 }.joined(separator: " "),
                 "distance": f.distanceKm.map { String(format: "%.0f km", $0) } ?? "—"]
            },
            "hasFlags": !flags.isEmpty,
        ])
    }

}
