import ArgumentParser
import HubCommandLine
import AsyncHTTPClient
import Foundation
import HubAPI
import HubContracts
import HubServer
import HubStore
import Kafka
import Simulator
import Synchronization

/// `lubehub simulate`: a whole company, deterministic for `--seed`, published as its ERP would
/// publish it; then, with `--duration`, the company doing business against a running hub — dealers
/// ordering over the HTTP API, the ERP answering, trucks driving and reporting, the field sending
/// its data — with a live status line, and a summary of what the hub made of it.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a company from a seed, publish it as the ERP would, and (with --duration) run its business against the hub.",
        discussion: "Runs beside a hub (lubehub serve) on the same configuration: it reads the API's address and token secret, and the core's database for the summary."
    )

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @OptionGroup var companyOptions: CompanyOptions
    @Option(help: "How long the business runs (120s, 2m, 1h); 0 publishes the master data only.") var duration: DurationArgument = .init(.zero)
    @Option(help: "Orders submitted per second over the API.") var ordersPerSecond: Double = 10
    @Option(help: "Trucks, spread over the 20 carriers.") var vehicles = 2_000
    @Option(help: "How much faster trucks drive than the clock runs.") var timeScale: Double = 120
    @Option(help: "Quick-lube service records per second.") var serviceRecordsPerSecond: Double = 20
    @Option(help: "Anti-counterfeit scans per second.") var scansPerSecond: Double = 10
    @Option(help: "Inputs in a thousand that are malformed on purpose (they must end as dead letters).") var malformedPerThousand = 5
    @Option(help: "The API's base URL (default: http://api.host:api.port of the configuration).") var api: String?
    @Option(help: "Write every order the API acknowledged to this file (JSON lines: orderId, dealerId, status).") var ordersLog: String?
    @Option(help: "Prefix every topic name (a copy of the topics for tests).") var topicPrefix = ""
    @Option(help: "Months of the company's history (orders, deliveries, receipts, ratings, contracts) to publish on the core's topics before the business run: the figures' past.")
    var historyMonths = 0
    @Option(help: "Orders a tier-1 dealer places in an average month of the history.") var historyOrdersPerMonth = 4.0
    @Option(help: "Make the company's demo accounts (admin, a branch manager, a sales rep, a tier-1 and a tier-2 dealer) and write their logins and passwords to this file.")
    var demoUsers: String?

    func validate() throws {
        guard (0...120).contains(historyMonths), historyOrdersPerMonth > 0, historyOrdersPerMonth <= 100 else {
            throw ValidationError("--history-months 0–120, --history-orders-per-month above 0 and at most 100")
        }
        guard ordersPerSecond > 0, ordersPerSecond <= 10_000, vehicles >= 0, vehicles <= 100_000, timeScale >= 1,
              serviceRecordsPerSecond >= 0, scansPerSecond >= 0, (0...1_000).contains(malformedPerThousand) else {
            throw ValidationError("rates must be positive, --vehicles 0–100,000, --time-scale at least 1, --malformed-per-thousand 0–1,000")
        }
    }

    func run() async throws {
        let configuration = try configurationOptions.load()
        let catalogue = try catalogueOptions.load()
        let client = try configuration.kafka.client(clientID: "lubehub-simulate")
        let location = DatabaseLocation(parsing: configuration.core.database)
        let company = try await companyOptions.ensurePublished(client: client, location: location, topicPrefix: topicPrefix, wait: false)
        if let demoUsers {
            let accounts = try await DemoUsers.ensure(for: company, at: location, cost: configuration.api.passwordCost)
            let lines = accounts.map { "\($0.login)\t\($0.password ?? "(kept from before)")\t\($0.role)\t\($0.scope)" }
            try (lines.joined(separator: "\n") + "\n").write(toFile: demoUsers, atomically: true, encoding: .utf8)
            say("demo accounts: \(accounts.map(\.login).joined(separator: ", ")) (logins and passwords in \(demoUsers))")
        }
        if historyMonths > 0 {
            try await HubProgress.waitForMasterData(company, at: location)
            var plan = CompanyHistory.Plan()
            plan.months = historyMonths
            plan.ordersPerDealerMonth = historyOrdersPerMonth
            let started = ContinuousClock.now
            try await HistoryPublisher.publish(company, plan: plan, client: client.named("lubehub-simulate-history"), topicPrefix: topicPrefix, report: say)
            try await HubProgress.waitForCatchUp(configuration: configuration, catalogue: catalogue, client: client, timeout: .seconds(7_200))
            say("the hub took the history in \(String(format: "%.0f", (ContinuousClock.now - started) / .seconds(1))) s from the first message published")
        }
        guard duration.value > .zero else { return }

        try await HubProgress.waitForMasterData(company, at: location)
        let started = Date()
        let runId = String(Int(started.timeIntervalSince1970), radix: 36).uppercased()
        var plan = BusinessRun.Plan()
        plan.duration = duration.value
        plan.ordersPerSecond = ordersPerSecond
        plan.restingDealers = Set([SalesForceScript(company: company)?.dormant?.dealerId].compactMap { $0 })
        plan.vehicles = vehicles
        plan.dispatch.timeScale = timeScale
        plan.serviceRecordsPerSecond = serviceRecordsPerSecond
        plan.scansPerSecond = scansPerSecond
        plan.malformedPerThousand = malformedPerThousand
        let gateway = configuration.gateway.jt808
        if gateway.enabled, gateway.limits.port > 0 {
            plan.gateway = .init(host: gateway.limits.host == "0.0.0.0" ? "127.0.0.1" : gateway.limits.host, port: gateway.limits.port)
        }
        let log = try ordersLog.map { try OrdersLog(path: $0) }
        let run = BusinessRun(company: company, plan: plan, runId: runId) { order, answer in log?.write(order, answer) }

        let apiSection = configuration.api
        let baseURL = api ?? "http://\(apiSection.host == "0.0.0.0" ? "127.0.0.1" : apiSection.host):\(apiSection.port)"
        let tokens = try DealerTokens(api: apiSection)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(15))))
        let sink = try KafkaMessageSink(client: client.named("lubehub-simulate-systems"), topicPrefix: topicPrefix)
        let erp = try KafkaERPOutbox(client: client.named("lubehub-simulated-erp"), topicPrefix: topicPrefix)
        say("business run \(runId): \(duration.text), \(ordersPerSecond) orders/s over \(baseURL), \(vehicles) trucks of 20 carriers (time × \(Int(timeScale))), "
            + "\(serviceRecordsPerSecond) service records/s, \(scansPerSecond) scans/s, \(malformedPerThousand)‰ malformed on purpose")
        let engagement = try await EngagementRun.run(company: company, runId: runId, baseURL: baseURL, api: apiSection, tokens: tokens, sink: sink)
        say(engagement.line)
        let salesForce = try await SalesForceRun.start(company: company, runId: runId, baseURL: baseURL, api: apiSection, client: client,
                                                       topicPrefix: topicPrefix, say: say)
        // The at-risk round follows the dormant dealer up while the business runs.
        let followUpWait = duration.value + .seconds(180)
        let followedUp = salesForce.map { script in
            Task { [baseURL, apiSection] in await SalesForceRun.followUp(script, baseURL: baseURL, api: apiSection, timeout: followUpWait) }
        }
        do {
            try await run.run(sink: sink, desk: HTTPOrderDesk(baseURL: baseURL, client: http) { tokens.token(for: $0) }, erp: erp,
                        registry: KafkaVehicleRegistry(client: client.named("lubehub-simulate-vehicles"), topicPrefix: topicPrefix)) { counters in
                let line = counters.statusLine(elapsed: .seconds(Date().timeIntervalSince(started)), of: run.plan.duration)
                FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("\n".utf8))
            await erp.close()
            await sink.close()
            try? await http.shutdown()
            throw error
        }
        FileHandle.standardError.write(Data("\n".utf8))
        await erp.close()
        await sink.close()
        try await http.shutdown()
        log?.close()

        let counters = run.counters
        say("""
            the simulator sent: \(counters.value(.ordersSent)) orders (answers: \(counters.value(.accepted)) accepted, \(counters.value(.rejected)) rejected, \
            \(counters.value(.undecided)) still deciding, \(counters.value(.refused)) refused, \(counters.value(.unanswered)) unanswered; \(counters.value(.retries)) retries), \
            \(counters.value(.cancels)) cancellations, \(counters.value(.receipts)) receipts, \(counters.value(.ratings)) ratings; the ERP confirmed \
            \(counters.value(.confirmations)) and shipped \(counters.value(.deliveries)); trucks delivered \(counters.value(.delivered)) (\(counters.value(.breakdowns)) broke down), \
            sent \(counters.value(.fixes)) positions (\(counters.value(.gatewayFixes)) of them over TCP through the JT/T 808 gateway, answered success; \
            \(counters.value(.gatewayRefused)) not) and \(counters.value(.carrierEvents)) carrier events; the field sent \(counters.value(.fieldMessages)) messages; \
            \(counters.value(.malformed)) inputs were malformed on purpose
            """)
        if counters.value(.unregisteredTrucks) > 0 {
            say("\(counters.value(.unregisteredTrucks)) trucks were still unknown to the hub's carrier adapter after 60 s; their first frames may be dead-lettered as unregistered")
        }
        say(await engagement.answering.value)
        try await HubProgress.waitForCatchUp(configuration: configuration, catalogue: catalogue, client: client)
        let report = try await HubActivityReport.collect(configuration: configuration, catalogue: catalogue, client: client, since: started)
        say("what the hub made of it:\n" + report.text)
        if let followedUp { say(await followedUp.value) }
    }

}

/// The orders the API acknowledged, one JSON object per line, for checking a run afterwards.
final class OrdersLog: Sendable {
    private let handle: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("cannot write \(path)")
        }
        self.handle = Mutex(handle)
    }

    func write(_ order: OrderTraffic.Order, _ answer: OrderAnswer) {
        let line: String
        switch answer {
        case .decided(let orderId, let status): line = #"{"orderId":"\#(orderId)","dealerId":"\#(order.dealerId)","status":"\#(status)","key":"\#(order.idempotencyKey)"}"#
        case .pending(let orderId): line = #"{"orderId":"\#(orderId)","dealerId":"\#(order.dealerId)","status":"submitted","key":"\#(order.idempotencyKey)"}"#
        case .refused: return
        }
        handle.withLock { $0.write(Data((line + "\n").utf8)) }
    }

    func close() {
        handle.withLock { try? $0.close() }
    }
}
