import Adapters
import ArgumentParser
import Foundation
import HubAPI
import HubContracts
import HubCore
import HubCommandLine
import HubDomain
import HubServer
@_spi(SQL) import HubStore
import Simulator

/// `lubehub-bench analytics`: the figures at the study's scale. A company of `--dealers` tier-1
/// dealers gets `--months` of history (``CompanyHistory``: about four orders a dealer a month with
/// confirmations, deliveries, receipts, ratings, contracts), applied in this process through the
/// core's own rules in transactions of 500 events, as its ingest does — on SQLite; PostgreSQL gets
/// the same tables copied in. On each: p99 of a branch scorecard (the branches over the last 12
/// months), a dealer's page and the company dashboard (its figures, the branches, regional trends),
/// against the same figures by a plain `GROUP BY` over the raw tables in the same run (the ratio;
/// the two must agree). Then the core's ingest with the figures kept and not, on a slice of the
/// history (`--ingest-dealers` × `--ingest-months`, fresh databases). Targets: branch scorecard
/// p99 ≤ 50 ms, company dashboard p99 ≤ 200 ms, ratio ≥ 20×, ingest slowed ≤ 15 %.
struct BenchAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "The figures at scale: scorecard, dealer page and dashboard p99 vs. a plain GROUP BY; ingest with and without the figures."
    )

    @Option(help: "Tier-1 dealers.") var dealers = 5_000
    @Option(help: "Months of history.") var months = 36
    @Option(help: "Materials.") var materials = 4_200
    @Option(help: "Requests per measured read.") var requests = 200
    @Option(help: "Requests per baseline read (slow).") var baselineRequests = 5
    @Option(help: "Dealers of the ingest slice (figures kept and not).") var ingestDealers = 1_000
    @Option(help: "Months of the ingest slice.") var ingestMonths = 2
    @Option(help: "Rounds of the ingest comparison, each a run with the figures and one without (which goes first alternates); the median of the rounds' ratios is reported.")
    var ingestRounds = 3
    @Option(help: "How often the figures' pending rows are folded while the history and the slices load, in ms (the core's figureFoldMilliseconds).")
    var foldIntervalMs = Int(FigureFolder.defaultInterval / .milliseconds(1))
    @Option(help: "A PostgreSQL server URL to measure on as well (default: $LUBEHUB_BENCH_POSTGRES).") var postgres: String?
    @Option(help: "The databases whose ingest is compared, comma-separated: sqlite, postgresql (the latter when a server is given).")
    var ingestOn = "sqlite,postgresql"
    @Flag(help: "Compare only the core's ingest (with --through-kafka), not the rules alone in the bench's own transactions.")
    var skipRulesAlone = false
    @Option(help: "Reuse (or keep) the SQLite file of the full history at this path instead of a temporary one.") var sqliteFile: String?
    @Option(help: "Folder for temporary SQLite files.") var workDirectory = NSTemporaryDirectory()
    @Option(help: "The random seed.") var seed: UInt64 = 2026
    @Flag(help: "Also time the core's ingest itself over the slice (EventIngest: its Kafka consumer, parsing, savepoints, offsets), on the broker at --bootstrap.")
    var throughKafka = false
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        let ingestKinds = Set(ingestOn.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard ingestKinds.isSubset(of: ["sqlite", "postgresql"]) else {
            throw ValidationError("--ingest-on takes sqlite and postgresql, comma-separated; got \(ingestOn)")
        }
        guard !skipRulesAlone || throughKafka else { throw ValidationError("--skip-rules-alone leaves nothing to compare without --through-kafka") }
        var report = BenchReport(bench: "analytics")
        let server = postgres ?? ProcessInfo.processInfo.environment["LUBEHUB_BENCH_POSTGRES"]
        report.config = [("dealers", "\(dealers)"), ("months", "\(months)"), ("materials", "\(materials)"), ("requests", "\(requests)"),
                         ("ingest_slice", "\(ingestDealers) dealers x \(ingestMonths) months, \(ingestRounds) rounds"),
                         ("fold_interval", "\(foldIntervalMs) ms"), ("postgresql", server == nil ? "not measured" : "measured"),
                         ("ingest_on", ingestOn + (skipRulesAlone ? ", the core's ingest only" : "")),
                         ("targets", "branch scorecard p99 <= 50 ms, dashboard p99 <= 200 ms, ratio >= 20, ingest slowed <= 15 %")]
        let company = Company.generate(seed: seed, tier1: dealers, tier2: 0, materials: materials)
        var plan = CompanyHistory.Plan()
        plan.months = months

        // The full history on SQLite.
        let path = sqliteFile ?? (workDirectory as NSString).appendingPathComponent("lubehub-bench-analytics-\(UUID().uuidString).sqlite")
        defer { if sqliteFile == nil { DatabaseLocation.sqlite(path: path).removeFiles() } }
        let sqlite = DatabaseLocation.sqlite(path: path)
        let reuse = sqliteFile != nil && FileManager.default.fileExists(atPath: path)
        if !reuse {
            var loader = try HistoryLoader(location: sqlite, keepsFigures: true, foldInterval: .milliseconds(foldIntervalMs))
            let loaded = try await loader.load(company, plan: plan, progress: progress)
            report.results += [("history_orders", .init(value: Double(loaded.orders), unit: "orders")),
                               ("history_events", .init(value: Double(loaded.events), unit: "events")),
                               ("history_seconds", .init(value: loaded.seconds, unit: "s")),
                               ("history_rate", .init(value: Double(loaded.events) / loaded.seconds, unit: "events/s")),
                               ("history_not_applied", .init(value: Double(loaded.notApplied), unit: "events"))]
        }
        let store = try CoreStore(sqlite)
        let check = try await AnalyticsRebuild.run(store, checkOnly: true)
        progress("rebuild check: \(check.rows) rows, \(check.differences.count) differing")
        report.results.append(("rebuild_differences", .init(value: Double(check.differences.count), unit: "rows")))
        let end = FigureMonth(year: plan.endingBefore.year, month: plan.endingBefore.month)?.adding(months: -1) ?? FigureMonth(Date())
        let year = AnalyticsPeriod(months: end.adding(months: -11)...end)
        try await measure("sqlite", ReadConnections.open(sqlite, label: "bench"), company: company, period: year, into: &report)

        if let server {
            let database = try ScratchPostgresDatabase(server: server, prefix: "lubehub_bench")
            defer { database.drop() }
            let pg = database.location
            _ = try CoreStore(pg)  // the schema
            // PostgreSQL keeps no pending changes: the SQLite file's are folded before its figures are copied.
            _ = try await store.transaction { tables throws(StoreError) in try tables.analytics.foldPending() }
            let copied = try TableCopy.copy(["dealers", "orders", "order_lines", "contracts", "analytics_figures", "users", "warehouses"], from: sqlite, to: pg, progress: progress)
            progress("copied \(copied) rows to PostgreSQL")
            try await measure("postgresql", ReadConnections.open(pg, label: "bench"), company: company, period: year, into: &report)
        }

        // Ingest with the figures and without, on fresh databases, the same slice.
        let slice = Company.generate(seed: seed, tier1: ingestDealers, tier2: 0, materials: min(materials, 1_000))
        var slicePlan = CompanyHistory.Plan()
        slicePlan.months = ingestMonths
        let sliceEnd = FigureMonth(year: slicePlan.endingBefore.year, month: slicePlan.endingBefore.month)?.adding(months: -1) ?? FigureMonth(Date())
        let slicePeriod = AnalyticsPeriod(months: sliceEnd.adding(months: 1 - ingestMonths)...sliceEnd)
        var kinds: [(String, () throws -> (DatabaseLocation, () -> Void))] = []
        if ingestKinds.contains("sqlite") {
            kinds.append(("sqlite", {
                let file = (workDirectory as NSString).appendingPathComponent("lubehub-bench-ingest-\(UUID().uuidString).sqlite")
                return (.sqlite(path: file), { DatabaseLocation.sqlite(path: file).removeFiles() })
            }))
        }
        if let server, ingestKinds.contains("postgresql") {
            kinds.append(("postgresql", {
                let database = try ScratchPostgresDatabase(server: server, prefix: "lubehub_bench")
                return (database.location, { database.drop() })
            }))
        }
        let runID = UUID().uuidString.prefix(8).lowercased()
        let topic = throughKafka ? try await KafkaHistoryIngest.publish(slice, plan: slicePlan, client: connection.client(clientID: "lubehub-bench-analytics"),
                                                                     runID: String(runID), progress: progress) : nil
        for (kind, fresh) in kinds where !skipRulesAlone {
            let rules = try await IngestComparison.measure(rounds: ingestRounds, "\(kind) rules alone", progress: progress) { keeps in
                let (location, remove) = try fresh()
                defer { remove() }
                var loader = try HistoryLoader(location: location, keepsFigures: keeps, foldInterval: .milliseconds(foldIntervalMs))
                let loaded = try await loader.load(slice, plan: slicePlan, progress: progress)
                return .init(rate: Double(loaded.events) / loaded.seconds, cpuMicrosecondsPerEvent: loaded.cpuSeconds * 1e6 / Double(max(1, loaded.events)))
            }
            rules.report("\(kind)_ingest", into: &report)
        }
        for (kind, fresh) in kinds {
            guard let topic else { continue }
            var runs = 0  // each run consumes the topic from its start under a group of its own
            let core = try await IngestComparison.measure(rounds: ingestRounds, "\(kind) core ingest", progress: progress) { keeps in
                let (location, remove) = try fresh()
                defer { remove() }
                runs += 1
                let ingested = try await topic.ingest(into: location, company: slice, keepsFigures: keeps, foldInterval: .milliseconds(foldIntervalMs), group: "bench-analytics-\(runID)-\(kind)-\(runs)")
                let counters = ingested.counters
                progress("\(kind) core ingest, figures \(keeps ? "kept" : "not kept"): \(Int(ingested.rate)) events/s (\(counters.applied) applied, "
                         + "\(counters.duplicates) duplicates, \(counters.held) held, \(counters.deadLettered) dead-lettered; "
                         + "\(ingested.folds.folds) folds: \(ingested.folds.pendingRows) pending rows into \(ingested.folds.figureRows), "
                         + "\(String(format: "%.2f", ingested.folds.seconds)) s)")
                guard counters.deadLettered == 0 else { throw ValidationError("the core dead-lettered \(counters.deadLettered) events of the slice") }
                return .init(rate: ingested.rate, cpuMicrosecondsPerEvent: ingested.cpuSeconds * 1e6 / Double(max(1, counters.received)))
            }
            core.report("\(kind)_core_ingest", into: &report)

            // One more run with the figures kept, read all along.
            let (location, remove) = try fresh()
            defer { remove() }
            runs += 1
            let readers = ReadsUnderIngest(try FigureReads(period: slicePeriod, dealerIds: slice.tier1.map(\.dealerId)))
            let ingested = try await topic.ingest(into: location, company: slice, keepsFigures: true, foldInterval: .milliseconds(foldIntervalMs),
                                                  group: "bench-analytics-\(runID)-\(kind)-\(runs)", beside: { try await readers.run(on: location) })
            progress("\(kind) reads while the core ingests (\(Int(ingested.rate)) events/s): \(readers.summary)")
            readers.report("\(kind)_under_ingest", into: &report)
            report.results.append(("\(kind)_under_ingest_rate", .init(value: ingested.rate, unit: "events/s")))
        }
        print(json ? report.json : report.table)
    }

    /// The reads on one database: each kept figure's p99 and its baseline's, and whether they agree.
    func measure(_ kind: String, _ reads: ReadConnections, company: Company, period: AnalyticsPeriod, into report: inout BenchReport) async throws {
        let dealerIds = company.tier1.map(\.dealerId)
        func p99(_ count: Int, _ body: @escaping @Sendable (StoreReader) throws(StoreError) -> Void) async throws -> Double {
            var times: [Double] = []
            for _ in 0..<count {
                let started = ContinuousClock.now
                try await reads.read { reader throws(StoreError) in try body(reader) }
                let took = ContinuousClock.now - started
                times.append(Double(took.components.seconds) * 1_000 + Double(took.components.attoseconds) / 1e15)
            }
            times.sort()
            return times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
        }
        progress("\(kind): measuring the kept figures")
        for (name, read) in try FigureReads(period: period, dealerIds: dealerIds).named {
            report.results.append(("\(kind)_\(name)_p99", .init(value: try await p99(requests, read), unit: "ms")))
        }

        progress("\(kind): measuring the plain GROUP BY")
        let months = period.months
        report.results.append(("\(kind)_baseline_branch_scorecard_p99", .init(value: try await p99(baselineRequests) { reader throws(StoreError) in
            _ = try reader.analyticsBaseline.sums(by: .branch, months: months)
        }, unit: "ms")))
        report.results.append(("\(kind)_baseline_dealer_page_p99", .init(value: try await p99(baselineRequests) { reader throws(StoreError) in
            _ = try reader.analyticsBaseline.sums(by: .dealer, months: months, dealerId: dealerIds.randomElement() ?? "")
        }, unit: "ms")))
        report.results.append(("\(kind)_baseline_company_dashboard_p99", .init(value: try await p99(baselineRequests) { reader throws(StoreError) in
            _ = try reader.analyticsBaseline.sums(by: .company, months: months)
            _ = try reader.analyticsBaseline.sums(by: .branch, months: months)
            _ = try reader.analyticsBaseline.regionalTrends(months: months)
        }, unit: "ms")))
        for name in ["branch_scorecard", "dealer_page", "company_dashboard"] { report.ratio("\(kind)_baseline_\(name)_p99", "\(kind)_\(name)_p99") }

        // The two must agree: every branch's orders, valid orders, taken litres, revenue and cost.
        let disagreements = try await reads.read { reader throws(StoreError) -> Int in
            let baseline = try reader.analyticsBaseline.sums(by: .branch, months: months)
            let kept = try reader.analytics.everyId(.branch, months: months, reach: .all)
            // An order of a dealer the hub did not know (rejected) has no branch: the kept figures count it for the dealer only.
            return Set(baseline.keys).union(kept.keys).subtracting([""]).filter { branch in
                let b = baseline[branch] ?? AnalyticsBaseline.Sums()
                let k = kept[branch]?[FigureKey.allLines] ?? AnalyticsMeasures()
                return (b.ordersSubmitted, b.ordersValid, b.takenMl, b.revenueFen, b.costFen) != (k.ordersSubmitted, k.ordersValid, k.takenMl, k.revenueFen, k.costFen)
            }.count
        }
        progress("\(kind): kept figures and the plain GROUP BY \(disagreements == 0 ? "agree" : "DISAGREE for \(disagreements) branches")")
        report.results.append(("\(kind)_branches_disagreeing", .init(value: Double(disagreements), unit: "branches")))
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench analytics] \(text)\n".utf8))
    }
}

/// Lays down a company's master data (its ERP's documents through the ERP adapter's mapping) and
/// history through the core's rules, in transactions of 500 events as the core's ingest applies
/// them; the history is timed, the master data not. As in `lubehub core`, a ``WALCheckpointer``
/// checkpoints SQLite's write-ahead log from a connection of its own while it loads, so the
/// writer does not stop to copy the log into the file and wait for the disk at every 1,000 pages,
/// and a ``FigureFolder`` folds the figures' pending rows every `foldInterval` (and once at the end,
/// timed) — on SQLite only, as in `lubehub core`: on PostgreSQL the writers add in place.
struct HistoryLoader {
    let store: CoreStore
    let rules: CoreRules
    let checkpointer: WALCheckpointer
    let folder: FigureFolder
    /// Whether the folder runs beside the load (SQLite).
    var folds: Bool {
        if case .sqlite = store.location { return true }
        return false
    }
    var offsets: [String: Int64] = [:]

    init(location: DatabaseLocation, keepsFigures: Bool, foldInterval: Duration = FigureFolder.defaultInterval) throws {
        store = try CoreStore(location)
        rules = CoreRules(keepsFigures: keepsFigures)
        checkpointer = try WALCheckpointer(location: location, writers: [.core(store)])
        folder = FigureFolder(store: store, interval: foldInterval)
    }

    /// Runs `body` while the checkpointer and (on SQLite) the folder run beside it, as they do in `lubehub core`.
    func whileMaintained<R>(_ body: () async throws -> R) async throws -> R {
        let (checkpointer, folder) = (checkpointer, folder)
        let maintenance = [Task { try await checkpointer.run() }] + (folds ? [Task { try await folder.run() }] : [])
        defer { maintenance.forEach { $0.cancel() } }
        let result = try await body()
        maintenance.forEach { $0.cancel() }
        for task in maintenance { _ = await task.result }
        return result
    }

    struct Loaded {
        var orders = 0
        var events = 0
        var notApplied = 0
        var seconds = 0.0
        /// This process's CPU time over the same span (its checkpointer's included).
        var cpuSeconds = 0.0
    }

    mutating func load(_ company: Company, plan: CompanyHistory.Plan, progress: (String) -> Void) async throws -> Loaded {
        var loader = self
        let loaded = try await whileMaintained { try await loader.loadWhileMaintained(company, plan: plan, progress: progress) }
        self = loader
        return loaded
    }

    private mutating func loadWhileMaintained(_ company: Company, plan: CompanyHistory.Plan, progress: (String) -> Void) async throws -> Loaded {
        let (masterData, unapplied) = try await applyMasterData(company)
        progress("master data: \(masterData) events, \(unapplied.count) not applied\(unapplied.first.map { ": first \($0)" } ?? "")")
        var history = CompanyHistory(company: company, plan: plan)
        var loaded = Loaded()
        let started = ContinuousClock.now
        let usage = ProcessUsage.current()
        for month in 0..<plan.months {
            let entries = history.events(ofMonth: month).map { ($0.entry.topic, $0.entry.event) }
            loaded.orders += entries.filter { if case .orderSubmit = $0.1.data { true } else { false } }.count
            loaded.events += entries.count
            loaded.notApplied += try await apply(entries).count
            let took = ContinuousClock.now - started
            progress("history month \(month + 1) of \(plan.months): \(loaded.events) events, \(loaded.orders) orders, \(took.components.seconds) s")
        }
        if folds { try await folder.fold() }  // what was appended since the last fold, as the core's next fold would
        let took = ContinuousClock.now - started
        loaded.seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        loaded.cpuSeconds = ProcessUsage.current().cpuSeconds - usage.cpuSeconds
        return loaded
    }

    /// Applies `company`'s master data (its ERP's documents through the ERP adapter's mapping):
    /// how many events, and what did not apply.
    mutating func applyMasterData(_ company: Company) async throws -> (events: Int, unapplied: [String]) {
        var documents = ERPDocuments(company: company)
        let mapping = ErpMapping()
        var masterData: [(String, CanonicalEvent)] = []
        for (offset, message) in documents.all().enumerated() {
            if message.topic.hasPrefix("hub.") {
                masterData.append((message.topic, try CanonicalEvent.decode(message.value)))
                continue
            }
            // The event ids derive from where the document was read: each its own offset.
            for event in mapping.map(RawRecord(topic: message.topic, partition: 0, offset: Int64(offset), value: message.value)).events {
                masterData.append((event.topic, try CanonicalEvent.decode(event.value)))
            }
        }
        return (masterData.count, try await apply(masterData))
    }

    /// Applies events in transactions of 500; an event that waits for another (applied later in
    /// the same run) is tried again at the end. What did not apply, and why.
    mutating func apply(_ events: [(String, CanonicalEvent)]) async throws -> [String] {
        typealias Pending = (topic: String, event: CanonicalEvent, source: EventSource, outcome: String)
        var waiting: [Pending] = []
        var batch: [Pending] = []
        func flush(_ batch: [Pending]) async throws -> [Pending] {
            let rules = rules
            return try await store.transaction { tables throws(StoreError) in
                var held: [Pending] = []
                for pending in batch {
                    let (event, source) = (pending.event, pending.source)
                    let outcome = try tables.apply(eventId: event.id, source: source) { tables throws(StoreError) in try rules.apply(event, source: source, in: tables) }
                    switch outcome {
                    case .applied, .duplicate: continue
                    default: held.append((pending.topic, event, source, "\(event.type) \(event.subject): \(outcome)"))
                    }
                }
                return held
            }
        }
        for (topic, event) in events {
            let offset = offsets[topic, default: 0]
            offsets[topic] = offset + 1
            batch.append((topic, event, EventSource(group: "bench", topic: topic, partition: 0, offset: offset), ""))
            if batch.count == 500 {
                waiting += try await flush(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        waiting += try await flush(batch)
        return try await flush(waiting).map(\.outcome)
    }
}
