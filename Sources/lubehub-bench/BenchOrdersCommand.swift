import ArgumentParser
import HubCommandLine
import AsyncHTTPClient
import Foundation
import HubAPI
import HubContracts
import HubServer
import HubStore
import Kafka
import NIOCore
import Simulator
import Synchronization

/// `lubehub bench orders`: end-to-end latency of a running hub under load. Dealers submit orders
/// over HTTP at a fixed rate (open loop: the next order does not wait for the last answer) while
/// the carriers' trucks report their positions and the simulated ERP answers every order; HDR
/// histograms record submit → decision visible to the dealer (the API's answer, or the order's
/// first decided view on the live stream when the API answered 202) and ERP confirmation published → the update on
/// the live stream (an admin's /v1/order-updates). The baseline, measured in the same run: a bare
/// Kafka round trip (produce → consume) on the same broker at the same rate. Beside them, where the
/// time went inside the hub, from the stage timers on its `/metrics` read before and after the run.
struct BenchOrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "End-to-end order latency at a fixed rate over HTTP (submit → decision, ERP confirmation → live update) vs. a Kafka round trip.",
        discussion: "Runs against a hub on the same configuration (make bench-orders starts a fresh one: scripts/bench-orders)."
    )

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @OptionGroup var companyOptions: CompanyOptions
    @Option(help: "Orders submitted per second.") var rate: Double = 500
    @Option(help: "How long orders are submitted (60s, 2m).") var duration: DurationArgument = .init(.seconds(60))
    @Option(help: "Trucks reporting positions meanwhile.") var vehicles = 2_000
    @Option(help: "The API's base URL (default: http://api.host:api.port of the configuration).") var api: String?
    @Option(name: .customLong("watch"), help: ArgumentHelp("A process on this machine whose CPU time and peak memory to report with the bench's own, as NAME=PID (repeatable).",
                                                           valueName: "name=pid"))
    var watched: [WatchedProcess] = []
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        guard rate > 0, rate <= 20_000, duration.value > .zero, (0...100_000).contains(vehicles) else {
            throw ValidationError("--rate must be 0–20,000, --duration positive, --vehicles 0–100,000")
        }
    }

    func run() async throws {
        let configuration = try configurationOptions.load()
        _ = try catalogueOptions.load()
        let client = try configuration.kafka.client(clientID: "lubehub-bench-orders")
        let location = DatabaseLocation(parsing: configuration.core.database)
        // Standard output holds the report alone (one JSON object with --json); what the bench does goes to standard error.
        let company = try await companyOptions.ensurePublished(client: client, location: location, wait: true) { progress($0) }

        progress("baseline: a Kafka round trip at \(Int(rate))/s for 10 s")
        let baseline = try await KafkaRoundTrip.measure(client: client, rate: rate, seconds: 10)
        progress("baseline: p50 \(format(baseline.milliseconds(atPercentile: 50))) ms, p99 \(format(baseline.milliseconds(atPercentile: 99))) ms")

        let apiSection = configuration.api
        let baseURL = api ?? "http://\(apiSection.host == "0.0.0.0" ? "127.0.0.1" : apiSection.host):\(apiSection.port)"
        let tokens = try DealerTokens(api: apiSection)
        var httpConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(120)))
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections(decisionWait: .milliseconds(apiSection.decisionWaitMilliseconds))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let decisions = LatencyRecorder()
        let updates = LatencyRecorder()
        let confirmations = ConfirmationClock()
        let answers = AnswerCounts()
        let sink = TimedSink(inner: try KafkaMessageSink(client: client.named("lubehub-bench-systems")), confirmations: confirmations)
        let erp = try KafkaERPOutbox(client: client.named("lubehub-bench-erp"), group: "lubehub-bench-erp")
        let pending = DecisionClock(recorder: decisions)
        let desk = TimedDesk(inner: HTTPOrderDesk(baseURL: baseURL, client: http) { tokens.token(for: $0) }, decisions: decisions, pending: pending, answers: answers)
        let adminToken = try apiSection.issueToken(for: Principal(subject: "U-bench", role: .admin), lifetime: 3600)

        var plan = BusinessRun.Plan()
        plan.duration = duration.value
        plan.ordersPerSecond = rate
        plan.vehicles = vehicles
        plan.serviceRecordsPerSecond = 0
        plan.scansPerSecond = 0
        plan.dealerReportsPerSecond = 0
        plan.malformedPerThousand = 0
        plan.cancelPercent = 0
        plan.confirmAfter = .zero
        plan.shipAfter = .seconds(2)
        plan.ordersInFlight = 10_000
        let runId = "B" + String(Int(Date().timeIntervalSince1970), radix: 36).uppercased()
        let run = BusinessRun(company: company, plan: plan, runId: runId)
        progress("\(Int(rate)) orders/s for \(duration.text) over \(baseURL), \(vehicles) trucks reporting")

        let stream = Task {
            try await followUpdates(http: http, baseURL: baseURL, token: adminToken, confirmations: confirmations, updates: updates, decisions: pending)
        }
        // The stream is open (and past its backlog) before the first order goes out.
        try await confirmations.waitUntilStreaming(timeout: .seconds(30))
        let stagesBefore = await hubHistograms(http: http, baseURL: baseURL)
        let usageBefore = usage()
        let started = ContinuousClock.now
        do {
            try await run.run(sink: sink, desk: desk, erp: erp) { counters in
                let line = counters.statusLine(elapsed: .now - started, of: run.plan.duration)
                FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
            }
        } catch {
            stream.cancel()
            throw error
        }
        let submitted = ContinuousClock.now - started
        FileHandle.standardError.write(Data("\n".utf8))
        // The last decisions and confirmations' updates, then stop listening.
        try await confirmations.waitUntilDrained(timeout: .seconds(30))
        let deadline = ContinuousClock.now + .seconds(30)
        while pending.outstanding > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        stream.cancel()
        let usageAfter = usage()
        let stages = await hubHistograms(http: http, baseURL: baseURL).map { after in stagesBefore.map { after.since($0) } ?? after }
        if case .failure(let error) = await stream.result, !(error is CancellationError) {
            progress("the live stream ended early: \(error)")
        }
        await erp.close()
        await sink.inner.close()
        try await http.shutdown()
        let missing = confirmations.missing
        if !missing.isEmpty {
            progress("no confirmed update seen for \(missing.count) orders, e.g. \(missing.prefix(5).joined(separator: ", "))")
        }

        let elapsed = submitted / .seconds(1)
        let counters = run.counters
        var report = BenchReport(bench: "orders")
        report.config = [("rate", String(Int(rate))), ("duration_s", String(Int(duration.value / .seconds(1)))), ("vehicles", String(vehicles)),
                         ("dealers", String(company.dealers.count)), ("materials", String(company.materials.count)),
                         ("broker", configuration.kafka.bootstrap.joined(separator: ",")), ("api", baseURL)]
        func add(_ name: String, _ recorder: LatencyRecorder) {
            for (label, percentile) in [("p50", 50.0), ("p99", 99.0), ("p99_9", 99.9)] {
                report.results.append(("\(name)_\(label)", .init(value: (recorder.milliseconds(atPercentile: percentile) * 100).rounded() / 100, unit: "ms")))
            }
            report.results.append(("\(name)_max", .init(value: (recorder.maxMilliseconds * 100).rounded() / 100, unit: "ms")))
        }
        add("submit_to_decision", decisions)
        add("confirmation_to_update", updates)
        report.results.append(("kafka_roundtrip_p50", .init(value: (baseline.milliseconds(atPercentile: 50) * 100).rounded() / 100, unit: "ms")))
        report.results.append(("kafka_roundtrip_p99", .init(value: (baseline.milliseconds(atPercentile: 99) * 100).rounded() / 100, unit: "ms")))
        report.results.append(("orders_submitted", .init(value: Double(counters.value(.ordersSent)), unit: "orders")))
        report.results.append(("orders_per_second", .init(value: (Double(counters.value(.ordersSent)) / max(elapsed, 1) * 10).rounded() / 10, unit: "orders/s")))
        report.results.append(("decisions_measured", .init(value: Double(decisions.count), unit: "orders")))
        report.results.append(("answered_202", .init(value: Double(answers.pending.load(ordering: .relaxed)), unit: "orders")))
        report.results.append(("updates_measured", .init(value: Double(updates.count), unit: "orders")))
        report.results.append(("updates_missing", .init(value: Double(confirmations.outstanding), unit: "orders")))
        report.results.append(("decisions_missing", .init(value: Double(pending.outstanding), unit: "orders")))
        // What the run took of the machine, from the first order to the last update: the hub, and who shared its cores.
        var cpuSecondsInAll = 0.0
        for (name, after) in usageAfter {
            guard let before = usageBefore.first(where: { $0.name == name })?.usage else { continue }
            let seconds = after.cpuSeconds - before.cpuSeconds
            cpuSecondsInAll += seconds
            report.results.append(("\(name)_cpu_seconds", .init(value: (seconds * 10).rounded() / 10, unit: "s")))
            report.results.append(("\(name)_cpu_per_order", .init(value: (seconds * 1000 / Double(max(1, counters.value(.ordersSent))) * 100).rounded() / 100,
                                                                 unit: "ms/order")))
            report.results.append(("\(name)_peak_rss", .init(value: (Double(after.peakResidentBytes) / 1_048_576).rounded(), unit: "MiB")))
        }
        // Whether this machine can keep up at the rate asked for: the CPU an order took of everyone
        // watched here, times the rate, against the cores there are (above 1, orders queue).
        let cpuPerOrderInAll = cpuSecondsInAll * 1000 / Double(max(1, counters.value(.ordersSent)))
        report.results.append(("cpu_per_order_in_all", .init(value: (cpuPerOrderInAll * 100).rounded() / 100, unit: "ms/order")))
        report.results.append(("cores_needed_at_rate", .init(value: (cpuPerOrderInAll * rate / 1000 * 100).rounded() / 100, unit: "cores")))
        report.results.append(("machine_cores", .init(value: Double(ProcessInfo.processInfo.activeProcessorCount), unit: "cores")))
        // Where the time went inside the hub, from its own timers (estimated from their buckets).
        for (name, series) in Self.stages {
            for (label, q) in [("p50", 0.5), ("p99", 0.99)] {
                guard let seconds = stages?.quantile(q, of: series) else { continue }
                report.results.append(("stage_\(name)_\(label)", .init(value: (seconds * 10_000).rounded() / 10, unit: "ms")))
            }
        }
        report.ratio("submit_to_decision_p99", "kafka_roundtrip_p99")
        report.ratio("confirmation_to_update_p99", "kafka_roundtrip_p99")
        report.ratio("cores_needed_at_rate", "machine_cores")
        print(json ? report.json : report.table)
    }

    /// Reads the admin's live stream and times each order's `confirmed` view against the moment
    /// the ERP's confirmation of it was published.
    private func followUpdates(http: HTTPClient, baseURL: String, token: String, confirmations: ConfirmationClock, updates: LatencyRecorder,
                               decisions: DecisionClock) async throws {
        var request = HTTPClientRequest(url: baseURL + "/v1/order-updates")
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await http.execute(request, timeout: .hours(1))
        guard response.status == .ok else { throw ValidationError("the live stream answered \(response.status)") }
        confirmations.streaming()
        var stream = ServerSentEventReader()
        for try await chunk in response.body {
            stream.append(chunk.readableBytesView)
            while let event = stream.next() {
                guard !event.data.isEmpty, let view = (try? JSONParser.parse(event.data))?["data"], let status = view["status"]?.stringValue,
                      let orderId = view["orderId"]?.stringValue else { continue }
                if status == "accepted" || status == "rejected" { decisions.decided(orderId) }
                if status == "confirmed", let published = confirmations.take(orderId) { updates.record(.now - published) }
            }
        }
    }

    /// The hub's stage timers: the API's (reading and checking a submit, publishing its command,
    /// waiting for the decision) and the core's (an event's wait from its producer to the
    /// transaction that applies it, for the commands, the order events — the ERP's confirmations
    /// among them — and the shipments; each consumer's transactions: the interactive topics', and
    /// the rest's).
    static let stages: [(name: String, series: HistogramSnapshot.Series)] = [
        ("api_checks", .init("lubehub_api_submit_seconds", ["stage": "checks"])),
        ("api_publish", .init("lubehub_api_submit_seconds", ["stage": "publish"])),
        ("core_wait_commands", .init("lubehub_core_event_wait_seconds", ["topic": TopicName.orderCommands])),
        ("core_transaction_interactive", .init("lubehub_core_transaction_seconds", ["consumer": "interactive"])),
        ("api_decision_wait", .init("lubehub_api_submit_seconds", ["stage": "decision"])),
        ("core_wait_order_events", .init("lubehub_core_event_wait_seconds", ["topic": TopicName.orderEvents])),
        ("core_wait_shipments", .init("lubehub_core_event_wait_seconds", ["topic": TopicName.shipments])),
        ("core_transaction_events", .init("lubehub_core_transaction_seconds", ["consumer": "events"])),
    ]

    /// The histograms of the API's `/metrics` now; `nil` (and said) when it cannot be read.
    private func hubHistograms(http: HTTPClient, baseURL: String) async -> HistogramSnapshot? {
        do {
            let response = try await http.execute(HTTPClientRequest(url: baseURL + "/metrics"), timeout: .seconds(10))
            guard response.status == .ok else { throw ValidationError("/metrics answered \(response.status)") }
            let body = try await response.body.collect(upTo: 16 << 20)
            return HistogramSnapshot(prometheusText: String(buffer: body))
        } catch {
            progress("the hub's stage timers are left out: \(error)")
            return nil
        }
    }

    /// How many connections the dealers' HTTP client may open: the load is open loop, and every
    /// order in flight holds a connection while the API waits for its decision (up to
    /// `decisionWait`), so the pool must hold `rate` × that wait and more, or orders would go out only
    /// as fast as connections free up (512 let a bench asked for 500/s submit 240/s on a
    /// saturated hub). At most this process's open-file limit, less a margin for everything else.
    private func connections(decisionWait: Duration) -> Int {
        let needed = Int((rate * (decisionWait / .seconds(1) + 1)).rounded(.up))
        var limit = rlimit()
        let files = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        let connections = max(64, min(max(512, needed), files - 512))
        if connections < needed {
            progress("\(connections) HTTP connections at most (open-file limit \(files)); \(Int(rate))/s may need \(needed): orders may go out slower than asked")
        }
        return connections
    }

    /// The CPU time and peak memory so far of this process (the load generator, with its ERP and
    /// trucks) and of each watched one that is still there.
    private func usage() -> [(name: String, usage: ProcessUsage)] {
        watched.compactMap { process in ProcessUsage.of(pid: process.pid).map { (process.name, $0) } } + [("load_generator", ProcessUsage.current())]
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench orders] \(text)\n".utf8))
    }
}

/// When the ERP's confirmation of each order was published, until its update is seen. Only an
/// order's first confirmation is timed: the simulated ERP answers each order once, but a repeat
/// (which the hub would ignore) must not restart the clock of an order whose update was seen.
final class ConfirmationClock: Sendable {
    private struct State {
        var published: [String: ContinuousClock.Instant] = [:]
        var seen: Set<String> = []
    }

    private let state = Mutex(State())
    private let open = Atomic<Bool>(false)

    func note(_ orderId: String, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard !state.seen.contains(orderId), state.published[orderId] == nil else { return }
            state.published[orderId] = instant
        }
    }

    func take(_ orderId: String) -> ContinuousClock.Instant? {
        state.withLock { state in
            guard let instant = state.published.removeValue(forKey: orderId) else { return nil }
            state.seen.insert(orderId)
            return instant
        }
    }

    var outstanding: Int { state.withLock { $0.published.count } }

    /// The orders whose confirmation was published and whose confirmed update was not seen, in id order.
    var missing: [String] { state.withLock { $0.published.keys.sorted() } }

    func streaming() { open.store(true, ordering: .relaxed) }

    func waitUntilStreaming(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !open.load(ordering: .relaxed) {
            guard ContinuousClock.now < deadline else { throw ValidationError("the live stream did not open within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitUntilDrained(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while outstanding > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
    }
}

/// The systems' sink, noting when each ERP confirmation goes out (just before it is sent).
struct TimedSink: MessageSink {
    let inner: KafkaMessageSink
    let confirmations: ConfirmationClock

    func send(_ messages: [ERPDocuments.Message]) async throws {
        let now = ContinuousClock.now
        for message in messages where message.topic == TopicName.ERP.orderConfirmations { confirmations.note(message.key, at: now) }
        try await inner.send(messages)
    }
}

final class AnswerCounts: Sendable {
    let pending = Atomic<Int>(0)
}

/// The orders the API answered 202 for, until the live stream shows their decision; and when the
/// stream showed each decision, for an answer that comes after it.
final class DecisionClock: Sendable {
    private struct State {
        var waiting: [String: ContinuousClock.Instant] = [:]
        var decided: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let recorder: LatencyRecorder

    init(recorder: LatencyRecorder) {
        self.recorder = recorder
    }

    /// An order submitted at `submitted` whose decision the API did not wait for.
    func waitForDecision(_ orderId: String, submitted: ContinuousClock.Instant) {
        let seen: ContinuousClock.Instant? = state.withLock { state in
            if let at = state.decided[orderId] { return at }
            state.waiting[orderId] = submitted
            return nil
        }
        if let seen { recorder.record(seen - submitted) }
    }

    /// The stream showed the order decided now.
    func decided(_ orderId: String) {
        let now = ContinuousClock.now
        let submitted: ContinuousClock.Instant? = state.withLock { state in
            if let submitted = state.waiting.removeValue(forKey: orderId) { return submitted }
            state.decided[orderId] = now
            return nil
        }
        if let submitted { recorder.record(now - submitted) }
    }

    var outstanding: Int { state.withLock { $0.waiting.count } }
}

/// The dealers' desk, timing each submit until its decision is visible to the dealer: the API's
/// 201, or — after a 202 — the order's first decided view on the live stream.
struct TimedDesk: OrderDesk {
    let inner: HTTPOrderDesk
    let decisions: LatencyRecorder
    let pending: DecisionClock
    let answers: AnswerCounts

    func submit(dealerId: String, body: [UInt8], idempotencyKey: String) async throws -> OrderAnswer {
        let started = ContinuousClock.now
        let answer = try await inner.submit(dealerId: dealerId, body: body, idempotencyKey: idempotencyKey)
        switch answer {
        case .decided:
            decisions.record(.now - started)
        case .pending(let orderId):
            answers.pending.add(1, ordering: .relaxed)
            pending.waitForDecision(orderId, submitted: started)
        case .refused:
            break
        }
        return answer
    }

    func follow(_ action: String, orderId: String, dealerId: String, body: [UInt8]) async throws -> Int {
        try await inner.follow(action, orderId: orderId, dealerId: dealerId, body: body)
    }
}
