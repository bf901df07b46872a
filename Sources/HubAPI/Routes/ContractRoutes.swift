import HubContracts
import HubStore
import Hummingbird

/// Quantity contracts (签约量, R4): the ERP sends them (`erp.in.contracts`); branch staff read them
/// and adjust them where the ERP's figure is not the agreement (`PUT`, audited on `hub.audit`).
/// - `GET /v1/contracts?dealerId=D` — a dealer's contracts: staff in scope, the dealer itself.
/// - `GET /v1/contracts/{contractId}` — one, with its version.
/// - `PUT /v1/contracts/{contractId}` — create or adjust one at the version read (0 for new):
///   administrators any dealer's, a branch manager its branch's dealers'. Published on
///   `hub.contracts` as `contract.upserted` with `changedBy`; the core applies it, audits it, and
///   the figures follow in the same transaction.
enum ContractRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("contracts") { request, context in
            let principal = try context.caller()
            guard let dealerId = request.uri.queryParameters["dealerId"].map(String.init) ?? principal.dealerId, RequestFields.isIdentifier(dealerId) else {
                throw APIProblem.unprocessable("the contracts' query is not valid", issues: ["dealerId: the dealer whose contracts to list"])
            }
            let visibility = principal.dealerVisibility
            let contracts = try await services.database.read { reader throws(StoreError) -> [StoredContract]? in
                guard try reader.dealers.isVisible(dealerId, to: visibility) else { return nil }
                return try reader.contracts.storedContracts(of: dealerId)
            }
            guard let contracts else { throw APIProblem.notFound("dealer \(dealerId)") }
            return APIResponse.json(.ok, encoding: Listing(dealerId: dealerId, contracts: contracts.map(ContractJSON.init)))
        }
        router.get("contracts/:contractId") { _, context in
            let principal = try context.caller()
            let contractId = try MasterDataRoutes.pathId(context, "contractId")
            let visibility = principal.dealerVisibility
            let stored = try await services.database.read { reader throws(StoreError) -> StoredContract? in
                guard let stored = try reader.contracts.contract(contractId), try reader.dealers.isVisible(stored.contract.dealerId, to: visibility) else { return nil }
                return stored
            }
            guard let stored else { throw APIProblem.notFound("contract \(contractId)") }
            return APIResponse.json(.ok, encoding: ContractJSON(stored))
        }
        router.put("contracts/:contractId") { request, context in try await put(request, context, services) }
    }

    struct Listing: Encodable {
        var dealerId: String
        var contracts: [ContractJSON]
    }

    struct ContractJSON: Encodable {
        var contractId: String, dealerId: String, productLine: String, validFrom: String, validTo: String
        var contractedLitres: String?, contractedKilograms: String?, status: String, lines: [ContractUpserted.Line], version: Int64

        init(_ stored: StoredContract) {
            let c = stored.contract
            (contractId, dealerId, productLine, validFrom, validTo) = (c.contractId, c.dealerId, c.productLine.rawValue, c.validFrom.text, c.validTo.text)
            (contractedLitres, contractedKilograms, status, lines, version) = (c.contractedLitres?.text, c.contractedKilograms?.text, c.status.rawValue, c.lines, stored.version)
        }
    }

    static func put(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let reach = try MasterDataReach.of(principal)
        let contractId = try MasterDataRoutes.pathId(context, "contractId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["version", "dealerId", "productLine", "validFrom", "validTo", "contractedLitres", "contractedKilograms", "status"])
        let version = fields.integer("version", required: true, range: 0...Int.max)
        let dealerId = fields.identifier("dealerId", required: true)
        let line = fields.string("productLine", required: true, maxLength: 40)
        if let line, !ProductLine.known.map(\.rawValue).contains(line) { fields.fail("productLine", "automotive-packaged, industrial-packaged or bulk") }
        let from = fields.date("validFrom", required: true)
        let to = fields.date("validTo", required: true)
        if let from, let to, to < from { fields.fail("validTo", "on or after validFrom") }
        let litres = fields.decimal("contractedLitres", positive: true)
        let kilograms = fields.decimal("contractedKilograms", positive: true)
        if litres == nil && kilograms == nil { fields.fail("contractedLitres", "contractedLitres or contractedKilograms is required (a contract adds up in litres or kilograms)") }
        let statusText = fields.string("status", maxLength: 20) ?? "active"
        let status = ContractUpserted.Status(rawValue: statusText)
        if status == nil { fields.fail("status", "active or cancelled") }
        try fields.check("contract")
        guard let version, let dealerId, let line, let from, let to, let status else { throw APIProblem.unprocessable("the contract is not complete") }
        let (stored, dealerBranch) = try await services.database.read { reader throws(StoreError) in
            (try reader.contracts.contract(contractId), try reader.masterData.dealer(dealerId).map { $0.branchId })
        }
        if let stored, !reach.covers(branch: stored.branchId) { throw APIProblem.notFound("contract \(contractId)") }
        guard let dealerBranch else { throw APIProblem.unprocessable("the contract names what the hub does not know", issues: ["dealerId: dealer \(dealerId) is not known"]) }
        if !reach.covers(branch: dealerBranch) { throw APIProblem.unprocessable("dealerId: a branch manager's contracts are its branch's dealers'", issues: ["dealerId: \(dealerId) is another branch's"]) }
        if let stored, stored.contract.dealerId != dealerId {
            throw APIProblem.unprocessable("dealerId: a contract's dealer does not change", issues: ["dealerId: the contract is \(stored.contract.dealerId)'s"])
        }
        let current = stored?.version ?? 0
        guard Int64(version) == current else {
            throw APIProblem.conflict("the contract changed since you read it (version \(version), now \(current)): read it again and redo the change")
        }
        var lines: [ContractUpserted.Line] = []
        if let litres { lines.append(.init(lineNo: 10, quantity: litres, unit: "L")) }
        if let kilograms { lines.append(.init(lineNo: 20, quantity: kilograms, unit: "kg")) }
        let contract = ContractUpserted(contractId: contractId, dealerId: dealerId, productLine: ProductLine(rawValue: line), validFrom: from, validTo: to, lines: lines,
                                        contractedLitres: litres, contractedKilograms: kilograms, status: status, changedBy: principal.subject)
        try await MasterDataRoutes.publishAndWait(.contractUpserted(contract), subject: contractId, kind: "contract", topic: services.commands.topics.contracts,
                                                  catalogueTopic: TopicName.contracts, services: services)
        let applied = try await services.database.read { reader throws(StoreError) in try reader.contracts.contract(contractId) }
        guard let applied, applied.version > current else { return APIResponse.json(.accepted, ["contractId": contractId, "status": "pending"]) }
        return APIResponse.json(.ok, encoding: ContractJSON(applied))
    }
}
