import Foundation
import HubContracts
import HubStore
import ServiceLifecycle

/// A caller's order updates from the core's outbox, in outbox order, after a given sequence: what
/// the server-sent-event stream and the WebSocket both send. Every `order.view` the core publishes
/// on `hub.orders.updates` is also an outbox row with a sequence, so a client that names the last
/// sequence it saw gets everything after it, and the rows of dealers outside its scope never.
///
/// Every stream carries each step of the tier-2 orders the caller may see (`tier2-order.view`, R1:
/// submitted, accepted, rejected, cancelled, partly delivered, delivered, received): the core audits
/// each step in the transaction that makes it, so that row's sequence places it like the
/// announcements' notices below.
///
/// A dealer's stream also carries a notice of each announcement published or changed that is in
/// force and reaches it (`announcement.notice`, R5): the core audits the announcement in the
/// transaction that applies it, so that row's sequence places the notice among the order updates
/// and a reconnect replays it like them. One published ahead of its `publishAt` is not in force then:
/// its notice is placed by the audit entry the core writes when the moment comes (``ScheduledNotices``).
struct OrderUpdateFeed: Sendable {
    static let batch = 200

    /// One event of the stream: its outbox sequence, its name (`order.view`, `announcement.notice`) and its JSON.
    struct Row: Sendable {
        var sequence: Int64
        var event: String
        var value: String
    }

    let services: APIServices
    let visibility: DealerVisibility
    let after: Int64
    /// When the caller's credentials expire: the stream ends then (the client reconnects with new ones).
    let until: Date?

    init(services: APIServices, principal: Principal, after: Int64, until: Date?) {
        (self.services, self.visibility, self.after, self.until) = (services, principal.dealerVisibility, after, until)
        dealerId = principal.role == .dealer ? principal.dealerId : nil
    }

    /// A dealer's stream: the dealer its announcements' notices are for.
    let dealerId: String?

    /// Where a stream starts: after the sequence the client names, else at the newest. A sequence
    /// ahead of the newest was never given (400); one further back than the replay window is
    /// answered 410: the client reloads the current state and follows from now.
    static func start(_ asked: String?, _ services: APIServices) async throws(APIProblem) -> Int64 {
        let newest = try await services.watch.current()
        guard let asked else { return newest }
        guard let sequence = Int64(asked), sequence >= 0, sequence <= newest else { throw APIProblem.badRequest("event id \(asked.prefix(40)) is not one this stream gave") }
        guard newest - sequence <= services.replayWindow else {
            throw APIProblem(.gone, "event id \(sequence) is older than the \(services.replayWindow) newest updates this stream replays: GET /v1/orders for the current state, then follow without Last-Event-ID")
        }
        return sequence
    }

    /// Whether the caller's credentials have expired.
    var expired: Bool { until.map { Date() >= $0 } ?? false }

    /// Sends rows as they come until cancelled or the server shuts down gracefully; `idle` runs
    /// after each keep-alive interval without any.
    func run(send: (_ rows: [Row]) async throws -> Void, idle: () async throws -> Void) async throws {
        var scanned = after
        while !Task.isCancelled && !Task.isShuttingDownGracefully && !expired {
            let newest = try await services.watch.current()
            // Every row up to `newest` is committed (SQLite has one writer; on PostgreSQL outbox writers take
            // sequences in commit order, see Outbox.append), so it is scanned once and never passed by.
            while scanned < newest {
                let (rows, reached) = try await rows(after: scanned, upTo: newest)
                if !rows.isEmpty { try await send(rows) }
                scanned = reached
            }
            // Graceful shutdown cancels the wait, and the loop's condition ends the stream.
            let timeout = until.map { min(services.keepAlive, .milliseconds(max(0, Int64($0.timeIntervalSinceNow * 1000)))) } ?? services.keepAlive
            let waited = await cancelWhenGracefulShutdown { await services.watch.wait(after: newest, timeout: timeout) }
            if waited <= newest && !Task.isShuttingDownGracefully && !expired { try await idle() }
        }
    }

    /// The stream's rows after `from`, up to `newest` or as far as one batch of order updates
    /// reaches, and how far that is.
    private func rows(after from: Int64, upTo newest: Int64) async throws -> ([Row], Int64) {
        let topic = services.commands.topics.orderUpdates
        let (visibility, dealerId, now) = (visibility, dealerId, services.now())
        return try await services.database.read { reader throws(StoreError) -> ([Row], Int64) in
            let updates = try reader.outboxFeed.orderUpdates(after: from, upTo: newest, topic: topic, visibleTo: visibility, limit: Self.batch)
            let reached = updates.count < Self.batch ? newest : updates[updates.count - 1].sequence
            var rows = updates.map { Row(sequence: $0.sequence, event: "order.view", value: $0.value) }
            for change in try reader.outboxFeed.auditedChanges(of: "tier2-order", after: from, upTo: reached, limit: 1_000) {
                guard let order = try reader.dealers.tier2Orders(visibleTo: visibility, orderId: change.id, limit: 1).first else { continue }
                rows.append(Row(sequence: change.sequence, event: "tier2-order.view", value: Tier2OrderNotice(data: order).json))
            }
            guard let dealerId else { return (rows.sorted { $0.sequence < $1.sequence }, reached) }
            // One notice of an announcement's version however many of its changes the rows cover (a scheduled one
            // is audited when published and again when it comes in force, and a replay after then sees both in force).
            var noticed = Set<String>()
            for change in try reader.outboxFeed.auditedChanges(of: "announcement", after: from, upTo: reached, limit: 1_000) {
                guard let stored = try reader.announcements.announcement(change.id),
                      try AnnouncementAccess.reaches(stored, dealerId: dealerId, at: now, reader),
                      noticed.insert("\(change.id)#\(stored.published.version)").inserted else { continue }
                rows.append(Row(sequence: change.sequence, event: "announcement.notice", value: AnnouncementNotice(stored.published).json))
            }
            return (rows.sorted { $0.sequence < $1.sequence }, reached)
        }
    }
}

/// What a live stream says of a tier-2 order's step (R1): the order as it is now, for the tier-2 dealer that
/// placed it, the tier-1 dealer supplying it and the staff over either.
struct Tier2OrderNotice: Encodable {
    var type = "tier2-order.view"
    var data: Tier2OrderRecord

    var json: String { LiveJSON.text(self) }
}

/// What a dealer's live stream says of an announcement that reaches it: enough to show it and link
/// to it, shaped like the stream's other events (`type`, `data`).
struct AnnouncementNotice: Encodable {
    struct Data: Encodable {
        var announcementId: String, version: Int, kind: String, title: String, requiresAcknowledgement: Bool, publishAt: String
    }
    var type = "announcement.notice"
    var data: Data

    init(_ published: AnnouncementPublished) {
        data = Data(announcementId: published.announcementId, version: published.version, kind: published.kind.rawValue, title: published.title,
                    requiresAcknowledgement: published.requiresAcknowledgement, publishAt: published.publishAt.text)
    }

    var json: String { LiveJSON.text(self) }
}

/// The JSON of a live stream's notice: sorted keys, slashes as they are.
enum LiveJSON {
    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
