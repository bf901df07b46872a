public import Foundation
import HubContracts
public import HubStore
public import Logging
import Metrics
public import ServiceLifecycle

/// Gives the live notice of an announcement published ahead of its `publishAt` when that moment
/// comes (R5): a dealer's stream carries a notice only of what is in force, so one scheduled for
/// 9:00 was silent at authoring and, without this, silent at 9:00 too. Every `interval` the
/// announcements whose moment has come are put in force one transaction each
/// (``EngagementRules/putInForce(_:in:topics:at:)``: the audit entry the streams place the notice
/// by, and the mark that it was given), so each notice is given once, at most `interval` late.
public final class ScheduledNotices: Service, Sendable {
    private let store: CoreStore
    private let topics: CoreRules.Topics
    private let interval: Duration
    private let logger: Logger
    private let givenCount = Counter(label: "lubehub_announcement_notices_scheduled_total")

    public init(store: CoreStore, topics: CoreRules.Topics = .init(), interval: Duration, logger: Logger) {
        (self.store, self.topics, self.interval, self.logger) = (store, topics, interval, logger)
    }

    public func run() async throws {
        await everyRound(interval, logger: logger, failure: "scheduled announcements not put in force this round") {
            let given = try await self.noticeOnce(now: Date())
            if !given.isEmpty { self.logger.info("scheduled announcements in force", metadata: ["announcements": "\(given.joined(separator: ","))"]) }
        }
    }

    /// One round: puts in force every announcement whose `publishAt` has come by `now`; their ids.
    @discardableResult
    public func noticeOnce(now: Date) async throws(StoreError) -> [String] {
        let stamp = Timestamp(now)
        let due = try await store.read { reader throws(StoreError) in try reader.announcements.noticesDue(at: stamp, limit: 500) }
        var given: [String] = []
        for id in due {
            let topics = topics
            if try await store.transaction({ tables throws(StoreError) in try EngagementRules.putInForce(id, in: tables, topics: topics, at: stamp) }) {
                given.append(id)
            }
        }
        if !given.isEmpty { givenCount.increment(by: given.count) }
        return given
    }
}
