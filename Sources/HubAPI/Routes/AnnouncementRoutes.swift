import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Announcements to dealers (R5): staff publish policy, brand news, promotions and new products to
/// an audience; a dealer sees exactly those that reach it while they are in force, and says it read
/// (or acknowledged) them; staff see how far each was read, by branch.
/// - `GET /v1/announcements` — a dealer: those in force that reach it, newest first, each with
///   `read` and `acknowledged` (`unread=true`: only the unread). Staff: administrators all; staff of
///   a branch the company's and their branch's; other staff the company's (withdrawn, expired and
///   scheduled ones too, with their `state`).
/// - `POST /v1/announcements` — administrators for the company, a branch manager for its branch
///   (the audience then stays inside it). Published on `hub.announcements`, kept by the core, audited.
/// - `GET /v1/announcements/{id}` — as the list; anything else is 404.
/// - `PUT /v1/announcements/{id}` — the whole announcement again at the `version` read (409 when it
///   changed since), published one version higher; who could publish it.
/// - `POST /v1/announcements/{id}/withdraw` — who could publish it.
/// - `POST /v1/announcements/{id}/read`, `…/acknowledge` — a dealer's user, on `hub.announcement-receipts`.
/// - `GET /v1/announcements/{id}/readership` — staff who see it: reached, read and acknowledged per
///   branch, among the dealers in their scope.
/// - `POST /v1/announcements/audience-preview` — how many dealers an audience reaches, per branch, in
///   the caller's scope ("this reaches 1,243 dealers in 2 branches").
enum AnnouncementRoutes {
    /// A body may be up to 20,000 characters; everything else stays within the usual limits.
    static let limits = InputLimits(maxMessageBytes: 1 << 20, maxStringLength: 20_000, maxArrayCount: 5_000, maxObjectMembers: 64, maxDepth: 8)

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("announcements") { request, context in try await list(request, context, services) }
        router.post("announcements") { request, context in try await publish(request, context, services) }
        router.post("announcements/audience-preview") { request, context in try await preview(request, context, services) }
        router.get("announcements/:announcementId") { _, context in
            let principal = try context.caller()
            let id = try MasterDataRoutes.pathId(context, "announcementId")
            let now = services.now()
            let shown = try await services.database.read { reader throws(StoreError) -> AnnouncementJSON? in
                guard let stored = try reader.announcements.announcement(id), try AnnouncementAccess.visible(stored, to: principal, at: now, reader) else { return nil }
                var receipt: DealerReceipt?
                if let dealerId = principal.dealerId { receipt = try reader.announcements.receipts(dealerId: dealerId, of: [id])[id] }
                return AnnouncementJSON(stored, receipt: receipt, at: now, forDealer: principal.role == .dealer)
            }
            guard let shown else { throw APIProblem.notFound("announcement \(id)") }
            return APIResponse.json(.ok, encoding: shown)
        }
        router.put("announcements/:announcementId") { request, context in try await change(request, context, services) }
        router.post("announcements/:announcementId/withdraw") { request, context in try await withdraw(request, context, services) }
        router.post("announcements/:announcementId/read") { _, context in try await receipt(context, services, acknowledging: false) }
        router.post("announcements/:announcementId/acknowledge") { _, context in try await receipt(context, services, acknowledging: true) }
        router.get("announcements/:announcementId/readership") { _, context in
            let principal = try context.caller()
            let id = try MasterDataRoutes.pathId(context, "announcementId")
            let now = services.now()
            let visibility = principal.dealerVisibility
            let counted = try await services.database.read { reader throws(StoreError) -> (StoredAnnouncement, [String: Readership])? in
                guard let stored = try reader.announcements.announcement(id), try AnnouncementAccess.visible(stored, to: principal, at: now, reader) else { return nil }
                return (stored, try reader.announcements.readership(stored.published, within: visibility))
            }
            guard let (stored, branches) = counted else { throw APIProblem.notFound("announcement \(id)") }
            return APIResponse.json(.ok, encoding: ReadershipJSON(stored.published, branches))
        }
    }

    // MARK: - Listing

    static func list(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let query = request.uri.queryParameters
        var issues: [String] = []
        let limit = query["limit"].map { Int(String($0)) ?? -1 } ?? 50
        if !(1...200).contains(limit) { issues.append("limit: 1 to 200") }
        let offset = query["offset"].map { Int(String($0)) ?? -1 } ?? 0
        if !(0...1_000_000).contains(offset) { issues.append("offset: 0 or more") }
        let unreadOnly = query["unread"].map { $0 == "true" } ?? false
        guard issues.isEmpty else { throw APIProblem.unprocessable("the announcements' query is not valid", issues: issues) }
        let now = services.now()
        let listing = try await services.database.read { reader throws(StoreError) -> Listing in
            if principal.role == .dealer {
                guard let dealerId = principal.dealerId else { return Listing(announcements: [], unread: 0) }
                let rows = try AnnouncementAccess.inbox(of: dealerId, at: now, reader).map { AnnouncementJSON($0.0, receipt: $0.1, at: now, forDealer: true) }
                return Listing(announcements: Array(rows.filter { !unreadOnly || !$0.read }.dropFirst(offset).prefix(limit)), unread: rows.filter { !$0.read }.count)
            }
            return Listing(announcements: try reader.announcements.all(branchId: AnnouncementAccess.staffBranch(principal), limit: limit, offset: offset).map {
                AnnouncementJSON($0, receipt: nil, at: now, forDealer: false)
            }, unread: nil)
        }
        return APIResponse.json(.ok, encoding: listing)
    }

    struct Listing: Encodable {
        var announcements: [AnnouncementJSON]
        /// How many of those in force that reach the dealer it has not read (every page, not this one).
        var unread: Int?
    }

    struct AnnouncementJSON: Encodable {
        var announcementId: String, version: Int, kind: String, title: String, body: String
        var links: [AnnouncementPublished.Link], attachments: [AnnouncementPublished.Attachment]
        var publishAt: String, expiresAt: String?, state: AnnouncementAccess.State
        var audience: Audience?
        var requiresAcknowledgement: Bool
        var promotionPrices: [PromotionPriceJSON], materialIds: [String]
        var publishedBy: String?, branchId: String?
        var withdrawnAt: String?, withdrawnReason: String?
        var read: Bool, readAt: String?, acknowledged: Bool, acknowledgedAt: String?

        /// A dealer sees neither the audience nor who published it.
        init(_ stored: StoredAnnouncement, receipt: DealerReceipt?, at now: Timestamp, forDealer: Bool) {
            let a = stored.published
            (announcementId, version, kind, title, body) = (a.announcementId, a.version, a.kind.rawValue, a.title, a.body)
            (links, attachments, publishAt, expiresAt) = (a.links, a.attachments, a.publishAt.text, a.expiresAt?.text)
            state = AnnouncementAccess.state(of: stored, at: now)
            audience = forDealer ? nil : a.audience
            requiresAcknowledgement = a.requiresAcknowledgement
            promotionPrices = a.promotionPrices.map { PromotionPriceJSON(materialId: $0.materialId, price: $0.price.amount.text, currency: $0.price.currency) }
            materialIds = a.materialIds
            (publishedBy, branchId) = forDealer ? (nil, nil) : (a.publishedBy, a.branchId)
            (withdrawnAt, withdrawnReason) = (stored.withdrawnAt?.text, stored.withdrawnReason)
            (read, readAt) = (receipt?.readAt != nil, receipt?.readAt?.text)
            (acknowledged, acknowledgedAt) = (receipt?.acknowledgedAt != nil, receipt?.acknowledgedAt?.text)
        }
    }

    struct PromotionPriceJSON: Encodable {
        var materialId: String, price: String, currency: String
    }

    struct ReadershipJSON: Encodable {
        struct Branch: Encodable {
            var branchId: String, reached: Int, read: Int, acknowledged: Int
        }
        var announcementId: String, requiresAcknowledgement: Bool
        var reached: Int, read: Int, acknowledged: Int
        var branches: [Branch]

        init(_ published: AnnouncementPublished, _ counts: [String: Readership]) {
            (announcementId, requiresAcknowledgement) = (published.announcementId, published.requiresAcknowledgement)
            branches = counts.sorted { $0.key < $1.key }.map { Branch(branchId: $0.key, reached: $0.value.reached, read: $0.value.read, acknowledged: $0.value.acknowledged) }
            reached = branches.reduce(0) { $0 + $1.reached }
            read = branches.reduce(0) { $0 + $1.read }
            acknowledged = branches.reduce(0) { $0 + $1.acknowledged }
        }
    }

    // MARK: - Publishing

    /// Who publishes: administrators for the company (nil), a branch manager for its branch.
    static func publisherBranch(_ principal: Principal) throws(APIProblem) -> String? {
        switch try MasterDataReach.of(principal) {
        case .everything: nil
        case .branch(let branch): branch
        }
    }

    static func publish(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let branch: String?
        do { branch = try publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers publish announcements") }
        let (draft, _) = try await readDraft(request, context, services, branch: branch, versioned: false)
        let id = services.identifier("ANN")
        return try await write(draft, id: id, version: 1, by: principal, branch: branch, services, status: .created)
    }

    /// `PUT /v1/announcements/{id}`: the whole announcement again at the version read; published one
    /// version higher (a withdrawn one is published again). Who could publish it may change it.
    static func change(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "announcementId")
        let branch: String?
        do { branch = try publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers change announcements") }
        let (draft, version) = try await readDraft(request, context, services, branch: branch, versioned: true)
        let stored = try await services.database.read { reader throws(StoreError) in try reader.announcements.announcement(id) }
        guard let stored, branch == nil || stored.published.branchId == branch else { throw APIProblem.notFound("announcement \(id)") }
        guard version == stored.published.version else {
            throw APIProblem.conflict("the announcement changed since you read it (version \(version ?? 0), now \(stored.published.version)): read it again and redo the change")
        }
        return try await write(draft, id: id, version: stored.published.version + 1, by: principal, branch: stored.published.branchId, services, status: .ok)
    }

    /// The draft in the request's body (and the version read, when `versioned`), the audience
    /// confined to `branch` and the materials checked; 422 naming each field otherwise.
    static func readDraft(_ request: Request, _ context: APIRequestContext, _ services: APIServices, branch: String?,
                          versioned: Bool) async throws -> (AnnouncementDraft, Int?) {
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        let known: Set<String> = ["kind", "title", "body", "links", "attachments", "publishAt", "expiresAt", "audience", "requiresAcknowledgement",
                                  "promotionPrices", "materialIds"]
        fields.allowOnly(versioned ? known.union(["version"]) : known)
        let version = versioned ? fields.integer("version", required: true, range: 1...Int.max) : nil
        let draft = AnnouncementDraft.read(&fields, now: services.now())
        try fields.check("announcement")
        guard var draft else { throw APIProblem.unprocessable("the announcement is not complete") }
        if let branch { draft.audience = try await confine(draft.audience, to: branch, services) }
        try await checkReferences(draft, services)
        return (draft, version)
    }

    /// Publishes `draft` as version `version` of `id` on `hub.announcements` and answers once the
    /// core has it (202 while it has not yet).
    static func write(_ draft: AnnouncementDraft, id: String, version: Int, by principal: Principal, branch: String?, _ services: APIServices,
                      status: HTTPResponse.Status) async throws -> Response {
        let published = AnnouncementPublished(announcementId: id, version: version, kind: draft.kind, title: draft.title, body: draft.body, links: draft.links,
                                              attachments: draft.attachments, publishAt: draft.publishAt, expiresAt: draft.expiresAt, audience: draft.audience,
                                              requiresAcknowledgement: draft.requiresAcknowledgement, promotionPrices: draft.promotionPrices,
                                              materialIds: draft.materialIds, publishedBy: principal.subject, branchId: branch)
        try await MasterDataRoutes.publishAndWait(.announcementPublished(published), subject: id, kind: "announcement", topic: services.commands.topics.announcements,
                                                  catalogueTopic: TopicName.announcements, services: services)
        let stored = try await services.database.read { reader throws(StoreError) in try reader.announcements.announcement(id) }
        guard let stored, stored.published.version >= version else { return APIResponse.json(.accepted, ["announcementId": id, "status": "pending"]) }
        return APIResponse.json(status, encoding: AnnouncementJSON(stored, receipt: nil, at: services.now(), forDealer: false))
    }

    /// A branch manager's audience stays inside its branch: everyone, or criteria without a branch,
    /// mean its own branch's; dealers named alone stay those dealers; another branch, or a named
    /// dealer of another branch, is refused.
    static func confine(_ audience: Audience, to branch: String, _ services: APIServices) async throws -> Audience {
        let confined = withinBranch(audience, branch)
        var issues: [String] = []
        if !confined.branches.isEmpty && confined.branches != [branch] { issues.append("audience.branches: a branch manager's announcements reach its own branch (\(branch)) only") }
        let named = audience.dealers
        let outside = try await services.database.read { reader throws(StoreError) in try reader.announcements.dealers(named, outsideBranch: branch) }
        if !outside.isEmpty { issues.append("audience.dealers: \(outside.joined(separator: ", ")) not dealers of \(branch)") }
        guard issues.isEmpty else { throw APIProblem.unprocessable("the announcement's audience is outside the branch", issues: issues) }
        return confined
    }

    /// `audience` as a branch manager means it: everyone, or criteria without a branch, in its branch.
    static func withinBranch(_ audience: Audience, _ branch: String) -> Audience {
        guard audience.branches.isEmpty, audience.isEveryone || audience.hasCriteria else { return audience }
        var confined = audience
        confined.branches = [branch]
        return confined
    }

    /// The materials a promotion prices or a new product names must be known.
    static func checkReferences(_ draft: AnnouncementDraft, _ services: APIServices) async throws {
        let materials = Array(Set(draft.promotionPrices.map(\.materialId) + draft.materialIds)).sorted()
        guard !materials.isEmpty else { return }
        let unknown = try await services.database.read { reader throws(StoreError) in try reader.announcements.unknownMaterials(materials) }
        guard unknown.isEmpty else {
            throw APIProblem.unprocessable("the announcement names materials the hub does not know", issues: unknown.map { "materialId: \($0) is not known" })
        }
    }

    static func withdraw(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "announcementId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["reason"])
        let reason = fields.string("reason", maxLength: 200)
        try fields.check("withdrawal")
        let branch: String?
        do { branch = try publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers withdraw announcements") }
        let stored = try await services.database.read { reader throws(StoreError) in try reader.announcements.announcement(id) }
        // A branch manager withdraws only its branch's; the company's it sees but does not own.
        guard let stored, branch == nil || stored.published.branchId == branch else { throw APIProblem.notFound("announcement \(id)") }
        guard stored.withdrawnAt == nil else { throw APIProblem.conflict("announcement \(id) was withdrawn already") }
        let withdrawal = AnnouncementWithdrawn(announcementId: id, version: stored.published.version, withdrawnBy: principal.subject, reason: reason)
        try await MasterDataRoutes.publishAndWait(.announcementWithdrawn(withdrawal), subject: id, kind: "announcement", topic: services.commands.topics.announcements,
                                                  catalogueTopic: TopicName.announcements, services: services)
        let now = services.now()
        let after = try await services.database.read { reader throws(StoreError) in try reader.announcements.announcement(id) }
        guard let after, after.withdrawnAt != nil else { return APIResponse.json(.accepted, ["announcementId": id, "status": "pending"]) }
        return APIResponse.json(.ok, encoding: AnnouncementJSON(after, receipt: nil, at: now, forDealer: false))
    }

    // MARK: - Dealers' receipts

    static func receipt(_ context: APIRequestContext, _ services: APIServices, acknowledging: Bool) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "announcementId")
        guard principal.role == .dealer, let dealerId = principal.dealerId else { throw APIProblem.forbidden("only a dealer's users read and acknowledge announcements") }
        let now = services.now()
        let stored = try await services.database.read { reader throws(StoreError) -> StoredAnnouncement? in
            guard let stored = try reader.announcements.announcement(id), try AnnouncementAccess.visible(stored, to: principal, at: now, reader) else { return nil }
            return stored
        }
        guard let stored else { throw APIProblem.notFound("announcement \(id)") }
        if acknowledging, !stored.published.requiresAcknowledgement {
            throw APIProblem.unprocessable("announcement \(id) asks for no acknowledgement", issues: ["announcementId: only a policy that asks for it is acknowledged"])
        }
        let receipt = AnnouncementReceipt(announcementId: id, dealerId: dealerId, userId: principal.subject)
        let step = acknowledging ? "acknowledged" : "read"
        // The same user's repeat is the same event: the core counts the dealer's first.
        let event = CanonicalEvent(id: services.identifier("ANR", seed: "\(step):\(id):\(dealerId):\(principal.subject)"), source: "api", occurredAt: now, subject: id,
                                   data: acknowledging ? .announcementAcknowledged(receipt) : .announcementRead(receipt))
        try await services.commands.publish(event, topic: services.commands.topics.announcementReceipts, key: id, catalogueTopic: TopicName.announcementReceipts)
        return APIResponse.json(.accepted, ["announcementId": id, "dealerId": dealerId, step: true])
    }

    // MARK: - Audience preview

    static func preview(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let branch: String?
        do { branch = try publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers publish announcements") }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        fields.allowOnly(["audience"])
        var audience = AnnouncementDraft.audience(&fields)
        try fields.check("audience")
        if let branch { audience = withinBranch(audience, branch) }
        let visibility = principal.dealerVisibility
        let asked = audience
        let counts = try await services.database.read { reader throws(StoreError) in try reader.announcements.reach(asked, within: visibility) }
        let branches = counts.sorted { $0.key < $1.key }.map { ["branchId": $0.key, "dealers": $0.value] as [String: any Sendable] }
        return APIResponse.json(.ok, ["dealers": counts.values.reduce(0, +), "branches": branches])
    }
}
