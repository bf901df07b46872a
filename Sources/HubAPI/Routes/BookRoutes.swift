import Foundation
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// A dealer's own books (R1, 进销存):
/// - `POST /v1/books/entries` — a sale (to a tier-2 dealer, an end customer, a key account, a
///   quick-lube centre), a customer's return, a return to the company, a stock count, or a
///   customer's payment; checked against the books' stock first (goods out beyond on hand is 409
///   unless the dealer allows negative stock), then booked by the core at the moving-average cost.
/// - `GET /v1/books/entries`, `/v1/books/entries/{entryId}` — the documents, booked or refused with why.
/// - `GET /v1/books/stock` — on hand, value and average cost per material now.
/// - `PUT /v1/books/settings` — whether the dealer allows negative stock (its administrator).
/// - `PUT /v1/books/prices`, `GET /v1/books/prices[?customerId=]` — the dealer's selling prices: per
///   customer, and a list price for every customer without one (set by its administrator). A sale or
///   a customer's return written without a line's price takes the customer's, else the list price.
/// - `GET /v1/ledger` — the period report (`from`/`to`, or `month=YYYY-MM` in China time), JSON or
///   CSV (`format=csv` or `Accept: text/csv`).
/// A dealer reads and writes its own books; staff read those of dealers in their scope.
enum BookRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("ledger") { request, context in
            let principal = try context.caller()
            let dealerId = try await readableDealer(principal, request, services)
            let (from, to) = try period(request)
            let report = try await services.database.read { reader throws(StoreError) in
                try reader.books.report(dealerId: dealerId, from: from, to: to)
            }
            return AnalyticsRoutes.respond(request, report, csv: BookReportCSV.document(report), file: "books-\(dealerId)-\(from.text.prefix(10))-\(to.text.prefix(10))")
        }
        router.get("books/stock") { request, context in
            let dealerId = try await readableDealer(try context.caller(), request, services)
            let stock = try await services.database.read { reader throws(StoreError) in
                (try reader.books.stock(dealerId: dealerId), try reader.books.allowsNegativeStock(dealerId: dealerId))
            }
            return APIResponse.json(.ok, encoding: StockAnswer(dealerId: dealerId, allowNegativeStock: stock.1, materials: stock.0))
        }
        router.get("books/entries") { request, context in
            let dealerId = try await readableDealer(try context.caller(), request, services)
            let query = request.uri.queryParameters
            var issues: [String] = []
            let limit = Paging.limit(query["limit"], issues: &issues)
            let kind = query["kind"].map { BookEntryKind(rawValue: String($0)) }
            if let kind, !BookEntryKind.known.contains(kind) { issues.append("kind: must be \(BookEntryKind.known.map(\.rawValue).joined(separator: ", "))") }
            let before = query["cursor"].map(String.init)
            if let before, !RequestFields.isIdentifier(before) { issues.append("cursor: not a cursor this API gave") }
            if !issues.isEmpty { throw APIProblem.unprocessable("the query is not valid: \(issues.joined(separator: "; "))", issues: issues) }
            let documents = try await services.database.read { reader throws(StoreError) in
                try reader.books.documents(dealerId: dealerId, kind: kind, before: before, limit: limit + 1)
            }
            let page = Array(documents.prefix(limit))
            return APIResponse.json(.ok, encoding: EntriesPage(entries: page, nextCursor: documents.count > limit ? page.last?.entryId : nil))
        }
        router.get("books/entries/:entryId") { request, context in
            let dealerId = try await readableDealer(try context.caller(), request, services)
            guard let entryId = context.parameters.get("entryId"), RequestFields.isIdentifier(entryId) else { throw APIProblem.notFound("entry") }
            guard let document = try await services.database.read({ reader throws(StoreError) in try reader.books.document(entryId, dealerId: dealerId) }) else {
                throw APIProblem.notFound("entry \(entryId) (a new one takes a moment to be booked)")
            }
            return APIResponse.json(.ok, encoding: document)
        }
        router.post("books/entries") { request, context in try await record(request, context, services) }
        router.put("books/prices") { request, context in try await setPrices(request, context, services) }
        router.get("books/prices") { request, context in
            let dealerId = try await readableDealer(try context.caller(), request, services)
            let customer = request.uri.queryParameters["customerId"].map(String.init)
            if let customer, !RequestFields.isIdentifier(customer) {
                throw APIProblem.unprocessable("customerId: not an id", issues: ["customerId: must be an id (letters, digits, - _ . :)"])
            }
            let prices = try await services.database.read { reader throws(StoreError) in try reader.books.prices(dealerId: dealerId, customerId: customer) }
            return APIResponse.json(.ok, encoding: PricesAnswer(dealerId: dealerId, prices: prices))
        }
        router.put("books/settings") { request, context in
            let principal = try context.caller()
            guard principal.role == .dealer, let dealerId = principal.dealerId, principal.dealerAdmin else {
                throw APIProblem.forbidden("a dealer's book settings are set by its administrator")
            }
            var fields = RequestFields(try await RequestFields.body(of: request, context: context))
            fields.allowOnly(["allowNegativeStock"])
            let allow = fields.boolean("allowNegativeStock")
            if allow == nil { fields.fail("allowNegativeStock", "is required (true or false)") }
            try fields.check("book settings")
            let settings = BookSettingsSet(dealerId: dealerId, allowNegativeStock: allow ?? false, setBy: principal.subject)
            let event = try CommandIdentity.event(kind: "bs", entity: "\(dealerId)-\(UUID().uuidString.prefix(8))", occurredAt: services.now(), subject: dealerId,
                                                  data: .bookSettingsSet(settings))
            try await services.commands.publish(event, topic: services.commands.topics.dealerBooks, key: dealerId, catalogueTopic: EventKind.bookSettingsSet.topic)
            return APIResponse.json(.accepted, ["dealerId": dealerId, "allowNegativeStock": allow ?? false])
        }
    }

    /// `PUT /v1/books/prices {"prices": [{"customerId"?, "materialId", "unitPrice" | null}]}`: up to 200 at once;
    /// no customer sets the list price, a null price removes one.
    static func setPrices(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer, let dealerId = principal.dealerId, principal.dealerAdmin else {
            throw APIProblem.forbidden("a dealer's selling prices are set by its administrator")
        }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["prices"])
        var prices: [BookPricesSet.Price] = []
        var seen = Set<String>()
        for var line in fields.objects("prices", required: true, count: 1...200) {
            line.allowOnly(["customerId", "materialId", "unitPrice"])
            let customer = line.identifier("customerId")
            let material = line.identifier("materialId", required: true)
            let price = line.decimal("unitPrice")
            if let price, price.value < 0 || price.value > BookQuantity.maximumUnitPrice { line.fail("unitPrice", "must be 0 to \(BookQuantity.maximumUnitPrice), or null to remove the price") }
            if let price, BookQuantity.milli(price.value * 10) == nil { line.fail("unitPrice", "has more than 2 decimals") }
            if let material, !seen.insert("\(customer ?? "")|\(material)").inserted { line.fail("materialId", "\(material) is priced twice for \(customer ?? "the list")") }
            fields.absorb(line)
            if let material { prices.append(.init(customerId: customer, materialId: material, unitPrice: price)) }
        }
        try fields.check("selling prices")
        let materials = Set(prices.map(\.materialId))
        let known = try await services.database.read { reader throws(StoreError) in try reader.catalogue.existing(materials) }
        let unknown = prices.enumerated().filter { !known.contains($0.element.materialId) }
        if !unknown.isEmpty {
            throw APIProblem.unprocessable("some materials are not known", issues: unknown.map { "prices[\($0.offset)].materialId: \($0.element.materialId) is not a material" })
        }
        let set = BookPricesSet(dealerId: dealerId, prices: prices, setBy: principal.subject)
        let event = try CommandIdentity.event(kind: "bp", entity: "\(dealerId)-\(UUID().uuidString.prefix(8))", occurredAt: services.now(), subject: dealerId,
                                              data: .bookPricesSet(set))
        try await services.commands.publish(event, topic: services.commands.topics.dealerBooks, key: dealerId, catalogueTopic: EventKind.bookPricesSet.topic)
        return APIResponse.json(.accepted, ["dealerId": dealerId, "prices": String(prices.count)])
    }

    struct PricesAnswer: Encodable { var dealerId: String; var prices: [BookPriceLine] }

    struct StockAnswer: Encodable { var dealerId: String; var allowNegativeStock: Bool; var materials: [BookStockLine] }
    struct EntriesPage: Encodable { var entries: [BookDocumentRecord]; var nextCursor: String? }

    /// Whose books the caller reads: a dealer its own; staff a dealer in their scope named with `dealerId`.
    static func readableDealer(_ principal: Principal, _ request: Request, _ services: APIServices) async throws(APIProblem) -> String {
        if principal.role == .dealer, let own = principal.dealerId { return own }
        guard principal.role.isStaff else { throw APIProblem.forbidden("only dealers and staff have books to read") }
        let asked = request.uri.queryParameters["dealerId"].map(String.init)
        guard let asked, RequestFields.isIdentifier(asked) else {
            throw APIProblem.unprocessable("dealerId: name the dealer whose books to read (?dealerId=)", issues: ["dealerId: is required for staff"])
        }
        let visible = try await services.database.read { [visibility = principal.dealerVisibility] reader throws(StoreError) in
            try reader.dealers.isVisible(asked, to: visibility)
        }
        guard visible else { throw APIProblem.notFound("dealer \(asked)") }
        return asked
    }

    /// `month=YYYY-MM` (a calendar month in China time, UTC+8) or `from` and `to` (RFC 3339 UTC, from before to).
    static func period(_ request: Request) throws(APIProblem) -> (Timestamp, Timestamp) {
        let query = request.uri.queryParameters
        if let month = query["month"].map(String.init) {
            guard let period = BookMonth(month) else {
                throw APIProblem.unprocessable("month: \(month) is not a month (YYYY-MM, e.g. 2026-11)", issues: ["month: must be YYYY-MM"])
            }
            return (period.from, period.to)
        }
        guard let from = query["from"].flatMap({ Timestamp(parsing: String($0)) }), let to = query["to"].flatMap({ Timestamp(parsing: String($0)) }),
              from < to else {
            throw APIProblem.unprocessable("month (YYYY-MM), or from and to (RFC 3339 UTC, from before to: from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z) are required")
        }
        return (from, to)
    }

    static func record(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer, let dealerId = principal.dealerId else { throw APIProblem.forbidden("a dealer's books are written by its own users") }
        let idempotencyKey = try IdempotencyKey.of(request)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["kind", "customer", "lines", "amount", "reference", "at"])
        let kindText = fields.string("kind", required: true, maxLength: 40)
        let kind = kindText.map(BookEntryKind.init(rawValue:))
        if let kind, !BookEntryKind.recordable.contains(kind) {
            fields.fail("kind", "must be \(BookEntryKind.recordable.map(\.rawValue).joined(separator: ", ")) (purchases are booked when you confirm a delivery's receipt)")
        }
        let at = ClientTime.recorded(fields.timestamp("at"), now: services.now())
        let reference = fields.string("reference", maxLength: 60)
        var customer: BookEntryRecorded.Customer?
        let needsCustomer = kind == .sale || kind == .customerReturn || kind == .payment
        if var nested = fields.object("customer") {
            nested.allowOnly(["customerId", "name", "kind"])
            let id = nested.identifier("customerId", required: true)
            let name = nested.string("name", maxLength: 120)
            let customerKind = nested.string("kind", required: true, maxLength: 40).map(BookCustomerKind.init(rawValue:))
            if let customerKind, !BookCustomerKind.known.contains(customerKind) {
                nested.fail("kind", "must be \(BookCustomerKind.known.map(\.rawValue).joined(separator: ", "))")
            }
            fields.absorb(nested)
            if let id, let customerKind { customer = .init(customerId: id, name: name, kind: customerKind) }
            if !needsCustomer { fields.fail("customer", "belongs only on a sale, a customer's return or a payment") }
        } else if needsCustomer {
            fields.fail("customer", "is required for a \(kind?.rawValue ?? "")")
        }
        var amount: DecimalNumber?
        var lines: [BookEntryRecorded.Line] = []
        if kind == .payment {
            amount = fields.decimal("amount", required: true, positive: true)
            if let amount, amount.value > BookQuantity.maximumPayment { fields.fail("amount", "must be at most \(BookQuantity.maximumPayment)") }
            if let amount, BookQuantity.milli(amount.value * 10) == nil { fields.fail("amount", "has more than 2 decimals") }
            if fields.has("lines") { fields.fail("lines", "a payment has no lines") }
        } else {
            if fields.has("amount") { fields.fail("amount", "only a payment has an amount") }
            let priced = kind == .sale || kind == .customerReturn
            for var line in fields.objects("lines", required: true, count: 1...200) {
                line.allowOnly(priced ? ["materialId", "quantity", "unitPrice"] : kind == .stockCount ? ["materialId", "quantity", "unitCost"] : ["materialId", "quantity"])
                let material = line.identifier("materialId", required: true)
                let quantity = kind == .stockCount ? line.decimal("quantity", required: true) : line.decimal("quantity", required: true, positive: true)
                if let quantity, quantity.value < 0 { line.fail("quantity", "must not be negative") }
                if let quantity, quantity.value > BookQuantity.maximumUnits { line.fail("quantity", "must be at most \(BookQuantity.maximumUnits)") }
                if let quantity, BookQuantity.milli(quantity.value) == nil { line.fail("quantity", "has more than 3 decimals") }
                // A price left out is the customer's, else the dealer's list price (filled in below).
                let price = priced ? line.decimal("unitPrice") : nil
                if let price, price.value < 0 { line.fail("unitPrice", "must not be negative") }
                if let price, price.value > BookQuantity.maximumUnitPrice { line.fail("unitPrice", "must be at most \(BookQuantity.maximumUnitPrice)") }
                let cost = kind == .stockCount ? line.decimal("unitCost") : nil
                if let cost, cost.value < 0 || cost.value > BookQuantity.maximumUnitPrice { line.fail("unitCost", "must be 0 to \(BookQuantity.maximumUnitPrice)") }
                fields.absorb(line)
                if let material, let quantity { lines.append(.init(materialId: material, quantity: quantity, unitPrice: price, unitCost: cost)) }
            }
        }
        try fields.check("book entry")
        guard let kind else { throw APIProblem.unprocessable("kind is required") }
        if kind == .sale || kind == .customerReturn, let customer { lines = try await priced(lines, customer: customer.customerId, dealerId: dealerId, services) }
        try await checkAgainstBooks(kind: kind, lines: lines, dealerId: dealerId, services)
        let entryId = services.identifier("BE", seed: idempotencyKey.map { "book|\(principal.subject)|\(dealerId)|\($0.text)" })
        let entry = BookEntryRecorded(entryId: entryId, dealerId: dealerId, kind: kind, customer: customer, lines: lines, amount: amount, reference: reference,
                                      at: at, recordedBy: principal.subject)
        if idempotencyKey != nil, let earlier = try await services.database.read({ reader throws(StoreError) in try reader.books.document(entryId, dealerId: dealerId) }) {
            return APIResponse.json(.ok, encoding: earlier, headers: [.location: "/v1/books/entries/\(entryId)", .idempotentReplayed: "true"])
        }
        let event = try CommandIdentity.event(kind: "be", entity: entryId, occurredAt: services.now(), subject: dealerId, data: .bookEntryRecorded(entry))
        try await services.commands.publish(event, topic: services.commands.topics.dealerBooks, key: dealerId, catalogueTopic: EventKind.bookEntryRecorded.topic)
        return APIResponse.json(.accepted, ["entryId": entryId, "kind": kind.rawValue, "url": "/v1/books/entries/\(entryId)"])
            .withLocation("/v1/books/entries/\(entryId)")
    }

    /// `lines` with each price left out filled in: the customer's own, else the dealer's list price; 422 naming each
    /// line that has neither.
    static func priced(_ lines: [BookEntryRecorded.Line], customer: String, dealerId: String, _ services: APIServices) async throws(APIProblem) -> [BookEntryRecorded.Line] {
        let unpriced = Set(lines.filter { $0.unitPrice == nil }.map(\.materialId))
        guard !unpriced.isEmpty else { return lines }
        let prices = try await services.database.read { reader throws(StoreError) in
            try reader.books.salePrices(dealerId: dealerId, customerId: customer, materials: unpriced)
        }
        var issues: [String] = []
        let filled = lines.enumerated().map { index, line -> BookEntryRecorded.Line in
            guard line.unitPrice == nil else { return line }
            guard let price = prices[line.materialId] else {
                issues.append("lines[\(index)].unitPrice: is required: no price for \(line.materialId) for \(customer) nor a list price (give one, or set one: PUT /v1/books/prices)")
                return line
            }
            var priced = line
            priced.unitPrice = price.unitPrice
            return priced
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("some lines have no price", issues: issues) }
        return filled
    }

    /// Materials the hub knows, and goods out within what the books hold (unless the dealer allows negative stock): the
    /// answer now, while the core checks again when it books (what another request took meanwhile).
    static func checkAgainstBooks(kind: BookEntryKind, lines: [BookEntryRecorded.Line], dealerId: String, _ services: APIServices) async throws(APIProblem) {
        let materials = Set(lines.map(\.materialId))
        let (known, onHand, allowNegative) = try await services.database.read { reader throws(StoreError) in
            (try reader.catalogue.existing(materials), try reader.books.onHand(dealerId: dealerId, materials: materials),
             try reader.books.allowsNegativeStock(dealerId: dealerId))
        }
        let unknown = lines.enumerated().filter { !known.contains($0.element.materialId) }
        if !unknown.isEmpty {
            throw APIProblem.unprocessable("some materials are not known", issues: unknown.map { "lines[\($0.offset)].materialId: \($0.element.materialId) is not a material" })
        }
        guard kind == .sale || kind == .returnToCompany, !allowNegative else { return }
        var asked: [String: Int64] = [:]
        for line in lines { asked[line.materialId, default: 0] += BookQuantity.milli(line.quantity.value) ?? 0 }
        let short = asked.keys.sorted().filter { asked[$0, default: 0] > onHand[$0, default: 0] }
        if !short.isEmpty {
            throw APIProblem.conflict("not enough stock in your books: " + short.map {
                "\($0): \(BookQuantity.text(asked[$0, default: 0])) asked, \(BookQuantity.text(onHand[$0, default: 0])) on hand"
            }.joined(separator: "; ") + " (count your stock, or allow negative stock in the book settings)")
        }
    }
}
