import Foundation
import HubAPI
import HubContracts
import HubStore
import HubDomain

/// Quantity contracts (签约量) in the console: a dealer's contracts for the staff who see the dealer
/// (and the dealer itself), and — for administrators and the dealer's branch manager — a form that
/// adjusts one or adds one through `PUT /v1/contracts/{contractId}` at the version the page read
/// (a stale page is told to read again; the change is audited and the figures follow).
extension Console {
    /// `/dealers/{dealerId}/contracts`.
    func dealerContracts(_ dealerId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.isStaff || visitor.isDealer else { throw APIProblem.forbidden("a carrier has no dealers' contracts") }
        guard RequestFields.isIdentifier(dealerId) else { throw APIProblem.notFound("dealer") }
        let visibility = visitor.principal.dealerVisibility
        let found = try await services.database.read { reader throws(StoreError) -> ContractsRead? in
            guard try reader.dealers.isVisible(dealerId, to: visibility) else { return nil }
            return ContractsRead(contracts: try reader.contracts.storedContracts(of: dealerId), branchId: try reader.masterData.dealer(dealerId)?.branchId,
                                 name: try reader.analytics.names(.dealer, ids: [dealerId])[dealerId])
        }
        guard let found else { throw APIProblem.notFound("dealer \(dealerId)") }
        let language = visitor.language
        let reach = try? MasterDataReach.of(visitor.principal)
        let mayEdit = reach?.covers(branch: found.branchId) ?? false
        let name = found.name ?? dealerId
        return Page(template: "contracts", title: "\(name) · \(ConsoleText.text("contracts", language))", context: [
            "dealerId": dealerId, "dealerName": name, "mayEdit": mayEdit, "empty": found.contracts.isEmpty,
            "newHref": "/contracts/new?dealerId=\(dealerId)", "figuresHref": "/analytics/dealers/\(dealerId)",
            "contracts": found.contracts.map { stored -> [String: Any] in
                let c = stored.contract
                return ["contractId": c.contractId, "line": ConsoleText.text("line.\(c.productLine.rawValue)", language),
                        "period": "\(c.validFrom.text) — \(c.validTo.text)",
                        "litres": c.contractedLitres.map { ConsoleFormat.volume($0.text) } ?? "—",
                        "kilograms": c.contractedKilograms.map { "\($0.text) kg" } ?? "—",
                        "status": ConsoleText.text(c.status == .cancelled ? "contractCancelled" : "contractActive", language), "cancelled": c.status == .cancelled,
                        "version": stored.version, "href": mayEdit ? "/contracts/\(c.contractId)" : ""]
            },
        ])
    }

    /// `/contracts/{contractId}` (or `new` with `?dealerId=`): the form. 404 outside the visitor's
    /// reach; 403 for those who do not administer contracts.
    func contractPage(_ contractId: String, dealerId newFor: String?, _ visitor: ConsoleVisitor) async throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let language = visitor.language
        let isNew = contractId == "new"
        guard isNew || RequestFields.isIdentifier(contractId) else { throw APIProblem.notFound("contract") }
        let read = try await services.database.read { reader throws(StoreError) -> ContractRead in
            let stored: StoredContract? = isNew ? nil : try reader.contracts.contract(contractId)
            let dealerId = stored?.contract.dealerId ?? newFor ?? ""
            guard RequestFields.isIdentifier(dealerId), let record = try reader.masterData.dealer(dealerId) else { return ContractRead(stored: stored) }
            return ContractRead(stored: stored, dealerId: dealerId, branchId: record.branchId, name: try reader.analytics.names(.dealer, ids: [dealerId])[dealerId])
        }
        guard let dealerId = read.dealerId, reach.covers(branch: read.branchId), isNew || read.stored != nil else {
            throw APIProblem.notFound(isNew ? "dealer \(newFor ?? "")" : "contract \(contractId)")
        }
        let stored = read.stored
        let contract = stored?.contract
        let dealerName = read.name ?? dealerId
        let line = contract?.productLine.rawValue ?? ProductLine.automotivePackaged.rawValue
        let year = FigureMonth(Date()).year
        return Page(template: "contract", title: isNew ? ConsoleText.text("newContract", language) : "\(ConsoleText.text("contract", language)) \(contractId)", context: [
            "isNew": isNew, "contractId": contract?.contractId ?? "", "version": stored?.version ?? 0,
            "api": isNew ? "/v1/contracts/{contractId}" : "/v1/contracts/" + contractId,
            "dealerId": dealerId, "dealerName": dealerName, "back": "/dealers/\(dealerId)/contracts",
            "lines": ProductLine.known.map { ["value": $0.rawValue, "label": ConsoleText.text("line.\($0.rawValue)", language), "selected": $0.rawValue == line] },
            "validFrom": contract?.validFrom.text ?? "\(year)-01-01", "validTo": contract?.validTo.text ?? "\(year)-12-31",
            "litres": contract?.contractedLitres?.text ?? "", "kilograms": contract?.contractedKilograms?.text ?? "",
            "active": contract?.status != .cancelled, "cancelled": contract?.status == .cancelled,
        ])
    }
}

/// What the contracts page reads in one go.
private struct ContractsRead: Sendable {
    var contracts: [StoredContract]
    var branchId: String?
    var name: String?
}

/// What the contract form reads in one go: the contract (nil: new), and its dealer when known.
private struct ContractRead: Sendable {
    var stored: StoredContract?
    var dealerId: String?
    var branchId: String?
    var name: String?
}
