public import HubAPI
import HubConsole
public import HubContracts
import HubMessaging
public import Kafka
import Logging
public import ServiceLifecycle
public import HubStore

extension HubConfiguration {
    /// The HTTP API's services as configured, in start order: the producer its commands go out on,
    /// the accounts' sweeper, then the server (which stops first). `/ready` asks the broker, the database and the core's lag.
    /// `coreCommits`: the core's commit signal when it runs in this process, so decisions and updates go out as soon as
    /// it commits rather than at the outbox watch's next poll.
    public func apiServices(catalogue: TopicCatalogue, client: (String) -> KafkaClientConfiguration, coreCommits: CommitSignal? = nil,
                            metrics: @escaping @Sendable () -> String) throws -> [any Service] {
        let location = DatabaseLocation(parsing: core.database)
        // No linger: a dealer waits on every command, and librdkafka's default (5 ms) is 5 ms on every decision
        // (bench orders at 40/s: p50 25–26 → 20–21 ms). Under load commands still batch while a request is in flight;
        // at 100/s the runs showed no difference beyond their spread. (The outbox relay keeps the default: with no linger
        // there too, two of three runs at 100/s were slower, not faster.)
        let producer = try KafkaProducer(configuration: .init(client: client("lubehub-api"), linger: .zero), logger: Logger(label: "lubehub.api.producer"))
        let services = try APIServices.make(api, database: core.database, catalogue: catalogue, producer: producer, coreCommits: coreCommits)
        let lag = ConsumerLagReadiness(client: client("lubehub-ready-lag"), location: location, groups: [core.group, core.eventsGroup],
                                       topics: core.eventTopics + [core.positionsTopic], maxLag: Int64(api.readyMaxLag))
        let readiness: [any ReadinessCheck] = [BrokerReadiness(client: client("lubehub-ready")), DatabaseReadiness(location: location), lag]
        let sweeper: [any Service] = services.accounts.map { [AccountSweeper(accounts: $0)] } ?? []
        // The console's pages at `/`, beside the API on the same server; its operations page reads the dead letters.
        let deadLetters = DeadLetterWatch(client: client("lubehub-console-dlq"), catalogue: catalogue)
        let console = Console(services: services, templates: try ConsoleTemplates(),
                              operations: HubOperations(checks: readiness, lag: lag, deadLetters: deadLetters))
        return [producer, deadLetters] + sweeper + [
            APIServer.application(host: api.host, port: api.port, readiness: readiness, metrics: metrics, services: services, modules: [console],
                                  logger: Logger(label: "lubehub.api")),
        ]
    }
}

extension APIServices {
    /// The API's services as configured: its authenticator, a few read connections to the core's
    /// database, the producer its commands go out on, and the outbox watch (woken by `coreCommits` too, when given).
    public static func make(_ api: HubConfiguration.APISection, database: String, catalogue: TopicCatalogue, producer: KafkaProducer,
                            coreCommits: CommitSignal? = nil) throws -> APIServices {
        let location = DatabaseLocation(parsing: database)
        let apiDatabase = try APIDatabase(location)
        let accounts = AccountServices(store: try AccountStore(location), hasher: PasswordHasher(cost: api.passwordCost),
                                       sessions: SessionPolicy(secureCookie: api.secureCookie))
        return APIServices(authenticator: try api.authenticator(), database: apiDatabase,
                           commands: CommandPublisher(producer: producer, catalogue: catalogue), watch: OutboxWatch(database: apiDatabase, commits: coreCommits),
                           identifierSecret: try api.keys().orderIdentifiers, decisionWait: .milliseconds(api.decisionWaitMilliseconds), accounts: accounts)
    }
}

extension HubConfiguration.APISection {
    /// The password hasher's cost as configured (``passwordCostLog2``), bounded to what is sane.
    public var passwordCost: PasswordHasher.Cost {
        PasswordHasher.Cost(log2N: min(max(passwordCostLog2, 10), 20))
    }
}
