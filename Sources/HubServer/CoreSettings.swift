import Foundation
public import HubContracts
public import HubCore
public import HubStore
public import Kafka
public import Logging
public import ServiceLifecycle

/// What the core runs with: where its state lives, which topics it reads and writes, and its
/// timings. From the command line (``CoreOptions``) or the `core` section of a configuration file.
public struct CoreSettings: Codable, Sendable, Equatable {
    public var database: String
    public var group: String
    public var positionsTopic: String
    public var deadLetterTopic: String
    public var eventTopics: [String]
    /// Of `eventTopics`, those someone waits on (a dealer for the decision on an order, an
    /// order's subscribers for its update): read by a consumer of their own, so a burst of bulk
    /// events (a fleet's shipment milestones, the ERP's stock) never queues an order behind it.
    public var interactiveTopics: [String]
    public var orderEventsTopic: String
    public var orderUpdatesTopic: String
    /// Where the core writes the audit events of changes people made through the API.
    public var auditTopic: String
    public var maxBatch: Int
    public var historyRetentionHours: Int
    public var holdTimeoutSeconds: Int
    public var etaIntervalSeconds: Int
    /// How often the scorecards are published on `hub.scorecards` (0: not at all).
    public var scorecardIntervalSeconds: Int = 300
    /// How often the dealers at risk are looked for and followed up (``AtRiskFollowUps``; 0: not at all).
    public var atRiskIntervalSeconds: Int = 3_600
    /// How often the demand forecasts are published on `hub.forecasts` (``ForecastPublisher``; 0: not at all).
    public var forecastIntervalSeconds: Int = 21_600
    /// How often announcements published ahead of their `publishAt` are looked at to give their live
    /// notice when it comes (``ScheduledNotices``; 0: not at all): how late that notice may be.
    public var announcementNoticeIntervalSeconds: Int = 10
    /// How often the figures' pending rows are folded into them on SQLite (``FigureFolder``; at least 100 ms):
    /// longer folds fewer rows of the figures, and leaves more pending rows for each read to add.
    public var figureFoldMilliseconds: Int = Int(FigureFolder.defaultInterval / .milliseconds(1))
    /// `fetch.wait.max.ms` of the interactive topics' consumer: it is the floor of an order's
    /// latency on tansu (which answers a fetch only when the wait runs out).
    public var fetchWaitMilliseconds: Int
    /// `fetch.wait.max.ms` of the other event topics' consumer: on tansu every idle fetch costs
    /// the broker CPU the order path needs.
    public var bulkFetchWaitMilliseconds: Int
    /// `fetch.wait.max.ms` of the positions' consumer: nobody waits on a fix interactively, and on
    /// tansu every idle fetch costs the broker CPU the order path needs.
    public var positionsFetchWaitMilliseconds: Int
    /// How many seconds old a gap in the event consumers' offsets is when it is read again (0: gaps
    /// are not looked for). The local broker skips a consumer past messages now and then
    /// (`scripts/broker-race`); Apache Kafka does not, and there it only costs a read per
    /// producer transaction, to find nothing.
    public var gapRecheckSeconds: Int
    /// A fix dated more than this many seconds ahead of the hub's clock is refused (dead letter).
    public var fixFutureMarginSeconds: Int
    /// A fix that would need a faster truck than this since the vehicle's current one stays in the
    /// history only (0: not checked — the simulator, whose trucks drive many times faster than
    /// the clock, runs with 0).
    public var fixMaxSpeedKmh: Int

    public static let defaults = CoreSettings(
        database: "data/hub.sqlite", group: "lubehub-core", positionsTopic: TopicName.vehiclePositions, deadLetterTopic: TopicName.coreDeadLetters,
        eventTopics: [
            TopicName.dealers, TopicName.permissionGroups, TopicName.materials, TopicName.priceLists, TopicName.warehouses,
            TopicName.inventorySnapshots, TopicName.inventoryMovements, TopicName.orderCommands, TopicName.orderEvents,
            TopicName.shipments, TopicName.vehicles, TopicName.tier2Orders, TopicName.deliveryNotes, TopicName.dealerBooks, TopicName.invoices, TopicName.production, TopicName.sellThrough, TopicName.contracts, TopicName.funds,
            TopicName.announcements, TopicName.announcementReceipts, TopicName.tickets, TopicName.authenticity, TopicName.surveys, TopicName.surveyResponses,
            TopicName.terminalSessions, TopicName.activities,
        ],
        interactiveTopics: [TopicName.orderCommands, TopicName.orderEvents, TopicName.announcements, TopicName.tickets, TopicName.surveys, TopicName.activities],
        orderEventsTopic: TopicName.orderEvents, orderUpdatesTopic: TopicName.orderUpdates, maxBatch: 5000, historyRetentionHours: 168,
        holdTimeoutSeconds: 300, etaIntervalSeconds: 30, fetchWaitMilliseconds: 10, bulkFetchWaitMilliseconds: 100,
        positionsFetchWaitMilliseconds: 100, gapRecheckSeconds: 2, fixFutureMarginSeconds: 300, fixMaxSpeedKmh: 250)

    public init(database: String, group: String, positionsTopic: String, deadLetterTopic: String, eventTopics: [String],
         interactiveTopics: [String] = Self.defaults.interactiveTopics, orderEventsTopic: String,
         orderUpdatesTopic: String, maxBatch: Int, historyRetentionHours: Int, holdTimeoutSeconds: Int, etaIntervalSeconds: Int, fetchWaitMilliseconds: Int,
         bulkFetchWaitMilliseconds: Int = 100, positionsFetchWaitMilliseconds: Int = 100, gapRecheckSeconds: Int = 2,
         fixFutureMarginSeconds: Int = 300, fixMaxSpeedKmh: Int = 250, auditTopic: String = TopicName.audit) {
        self.auditTopic = auditTopic
        self.fixFutureMarginSeconds = fixFutureMarginSeconds
        self.fixMaxSpeedKmh = fixMaxSpeedKmh
        self.database = database
        self.group = group
        self.positionsTopic = positionsTopic
        self.deadLetterTopic = deadLetterTopic
        self.eventTopics = eventTopics
        self.interactiveTopics = interactiveTopics
        self.orderEventsTopic = orderEventsTopic
        self.orderUpdatesTopic = orderUpdatesTopic
        self.maxBatch = maxBatch
        self.historyRetentionHours = historyRetentionHours
        self.holdTimeoutSeconds = holdTimeoutSeconds
        self.etaIntervalSeconds = etaIntervalSeconds
        self.fetchWaitMilliseconds = fetchWaitMilliseconds
        self.bulkFetchWaitMilliseconds = bulkFetchWaitMilliseconds
        self.positionsFetchWaitMilliseconds = positionsFetchWaitMilliseconds
        self.gapRecheckSeconds = gapRecheckSeconds
    }

    /// Every key may be left out of a file: what is missing keeps its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        database = try container.decodeIfPresent(String.self, forKey: .database) ?? d.database
        group = try container.decodeIfPresent(String.self, forKey: .group) ?? d.group
        positionsTopic = try container.decodeIfPresent(String.self, forKey: .positionsTopic) ?? d.positionsTopic
        deadLetterTopic = try container.decodeIfPresent(String.self, forKey: .deadLetterTopic) ?? d.deadLetterTopic
        eventTopics = try container.decodeIfPresent([String].self, forKey: .eventTopics) ?? d.eventTopics
        interactiveTopics = try container.decodeIfPresent([String].self, forKey: .interactiveTopics) ?? d.interactiveTopics
        orderEventsTopic = try container.decodeIfPresent(String.self, forKey: .orderEventsTopic) ?? d.orderEventsTopic
        orderUpdatesTopic = try container.decodeIfPresent(String.self, forKey: .orderUpdatesTopic) ?? d.orderUpdatesTopic
        auditTopic = try container.decodeIfPresent(String.self, forKey: .auditTopic) ?? d.auditTopic
        maxBatch = try container.decodeIfPresent(Int.self, forKey: .maxBatch) ?? d.maxBatch
        historyRetentionHours = try container.decodeIfPresent(Int.self, forKey: .historyRetentionHours) ?? d.historyRetentionHours
        holdTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .holdTimeoutSeconds) ?? d.holdTimeoutSeconds
        etaIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .etaIntervalSeconds) ?? d.etaIntervalSeconds
        scorecardIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .scorecardIntervalSeconds) ?? d.scorecardIntervalSeconds
        atRiskIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .atRiskIntervalSeconds) ?? d.atRiskIntervalSeconds
        forecastIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .forecastIntervalSeconds) ?? d.forecastIntervalSeconds
        announcementNoticeIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .announcementNoticeIntervalSeconds)
            ?? d.announcementNoticeIntervalSeconds
        figureFoldMilliseconds = try container.decodeIfPresent(Int.self, forKey: .figureFoldMilliseconds) ?? d.figureFoldMilliseconds
        fetchWaitMilliseconds = try container.decodeIfPresent(Int.self, forKey: .fetchWaitMilliseconds) ?? d.fetchWaitMilliseconds
        bulkFetchWaitMilliseconds = try container.decodeIfPresent(Int.self, forKey: .bulkFetchWaitMilliseconds) ?? d.bulkFetchWaitMilliseconds
        positionsFetchWaitMilliseconds = try container.decodeIfPresent(Int.self, forKey: .positionsFetchWaitMilliseconds) ?? d.positionsFetchWaitMilliseconds
        gapRecheckSeconds = try container.decodeIfPresent(Int.self, forKey: .gapRecheckSeconds) ?? d.gapRecheckSeconds
        fixFutureMarginSeconds = try container.decodeIfPresent(Int.self, forKey: .fixFutureMarginSeconds) ?? d.fixFutureMarginSeconds
        fixMaxSpeedKmh = try container.decodeIfPresent(Int.self, forKey: .fixMaxSpeedKmh) ?? d.fixMaxSpeedKmh
    }

    /// The consumer group of the event ingest (the position ingest uses `group`); both of its
    /// consumers record their offsets in the database under it.
    public var eventsGroup: String { group + "-events" }

    /// The Kafka consumer group of the interactive topics' consumer.
    public var interactiveGroup: String { group + "-interactive" }

    /// The event topics read apart, and the rest.
    var eventTopicsByUrgency: (interactive: [String], bulk: [String]) {
        (eventTopics.filter(interactiveTopics.contains), eventTopics.filter { !interactiveTopics.contains($0) })
    }

    public var topics: CoreRules.Topics { .init(orderEvents: orderEventsTopic, orderUpdates: orderUpdatesTopic, audit: auditTopic) }

    /// The core's services, in start order (they stop in reverse: the ingests before the producers they use).
    /// `commits` is told whenever the core commits, for an API in the same process to wait on.
    public func services(client: (String) -> KafkaClientConfiguration, commits: CommitSignal? = nil,
                         logger: Logger) throws -> [any Service] {
        let location = DatabaseLocation(parsing: database)
        let deadLetters = try KafkaProducer(configuration: .init(client: client("lubehub-core-dlq")))
        let relayProducer = try KafkaProducer(configuration: .init(client: client("lubehub-core-outbox")))
        let positionStore = try PositionStore(location, maximumSpeedKmh: fixMaxSpeedKmh > 0 ? Double(fixMaxSpeedKmh) : nil)
        let positions = PositionIngest(
            configuration: .init(
                consumer: .init(client: client("lubehub-core"), groupID: group, topics: [positionsTopic],
                                sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(positionsFetchWaitMilliseconds),
                                maxBatchSize: maxBatch),
                deadLetterTopic: deadLetterTopic,
                historyRetention: historyRetentionHours > 0 ? .seconds(historyRetentionHours * 3600) : nil,
                futureMargin: .seconds(fixFutureMarginSeconds)),
            store: positionStore, deadLetters: deadLetters, logger: logger
        )
        let coreStore = try CoreStore(location, commits: commits)
        var services: [any Service] = []
        if case .sqlite = location {
            // The writers leave checkpointing the SQLite log to a connection of its own.
            services.append(try WALCheckpointer(location: location, writers: [.core(coreStore), .positions(positionStore)], logger: logger))
        }
        services += [
            deadLetters, relayProducer,
            // The relay keeps its idle poll (50 ms) rather than waking on every commit: woken, it sent many more small
            // batches, and bench orders at 40/s (3 interleaved runs) had the broker's CPU per order up 15–90 % and
            // confirmation → update p50 60–76 ms instead of 43–59 with only the API's outbox watch woken.
            OutboxRelay(outbox: Outbox(sharing: coreStore), producer: relayProducer, logger: logger),
            positions,
        ]
        let (interactive, bulk) = eventTopicsByUrgency
        // The bulk events' transactions give way as soon as another writer waits for the shared connection, so an
        // order's command or the ERP's answer waits for one bulk event, not a run of them (bench orders, 4 interleaved
        // pairs at 40 and 100 orders/s: the interactive transactions' p99 12 ms instead of 22–24 at 40/s; decision p99
        // 72–84 ms instead of 92–115 at 40/s, 141–164 instead of 180–228 at 100/s).
        for (subscribed, kafkaGroup, name, fetchWait) in [(interactive, interactiveGroup, "interactive", fetchWaitMilliseconds),
                                                      (bulk, eventsGroup, "events", bulkFetchWaitMilliseconds)] where !subscribed.isEmpty {
            services.append(EventIngest(
                configuration: .init(
                    consumer: .init(client: client("lubehub-core-\(name)"), groupID: kafkaGroup, topics: subscribed,
                                    sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(fetchWait)),
                    offsetsGroup: eventsGroup, deadLetterTopic: deadLetterTopic, holdTimeout: .seconds(holdTimeoutSeconds), name: name,
                    yieldsToWaitingWriters: name == "events", gapRecheck: gapRecheckSeconds > 0 ? .seconds(gapRecheckSeconds) : nil,
                    onStoreQueue: name == "interactive"),
                store: coreStore, rules: CoreRules(topics: topics), deadLetters: deadLetters, logger: logger))
        }
        if case .sqlite = location {
            // On SQLite the core's transactions append their figures' changes; this folds them into the figures.
            services.append(FigureFolder(store: coreStore, interval: .milliseconds(max(100, figureFoldMilliseconds)), logger: logger))
        }
        if etaIntervalSeconds > 0 {
            services.append(EtaUpdater(store: coreStore, topics: topics, interval: .seconds(etaIntervalSeconds), logger: logger))
        }
        if scorecardIntervalSeconds > 0 {
            services.append(ScorecardPublisher(store: coreStore, interval: .seconds(scorecardIntervalSeconds), logger: logger))
        }
        if atRiskIntervalSeconds > 0 {
            services.append(AtRiskFollowUps(store: coreStore, interval: .seconds(atRiskIntervalSeconds), logger: logger))
        }
        if forecastIntervalSeconds > 0 {
            services.append(ForecastPublisher(store: coreStore, interval: .seconds(forecastIntervalSeconds), logger: logger))
        }
        if announcementNoticeIntervalSeconds > 0 {
            services.append(ScheduledNotices(store: coreStore, topics: topics, interval: .seconds(announcementNoticeIntervalSeconds), logger: logger))
        }
        return services
    }
}
