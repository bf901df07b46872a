import ArgumentParser
import Foundation
import HubCommandLine
import HubContracts
import HubServer
import HubStore
import Kafka
import NIOCore
import NIOPosix
import Simulator
import Synchronization
import WireFormats

/// `lubehub-bench gateway`: `--terminals` JT/T 808 terminals connect over loopback to a
/// `lubehub gateway jt808` process of its own (on a topic prefix of its own), register and
/// authenticate, then each reports a fix every `--interval-seconds` and a heartbeat every
/// `--heartbeat-seconds` for `--seconds`; then a burst (every terminal sends `--burst-fixes` fixes
/// one after the other, each as soon as the previous was answered). Figures: the connect time,
/// fixes/s sustained and in the burst, the answer's latency (p50/p99/max: the broker's write
/// included), the gateway process's CPU per 1,000 fixes and fixes per CPU-second, its memory per
/// connection, and how many fixes answered success are missing from `carrier.in.jt808` read back
/// (must be 0). The baseline in the same run: a plain producer's acknowledgement (same settings)
/// at the same rate. The reference: the best-known open platform's maintainers give about 8,000
/// messages/s on a server.
struct BenchGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "10,000 JT/T 808 terminals on loopback against a lubehub gateway jt808 process: fixes/s, answer p50/p99, CPU per 1,000 fixes, memory per connection, 0 acknowledged fixes missing."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Simultaneous terminal connections.") var terminals = 10_000
    @Option(help: "Seconds between one terminal's fixes.") var intervalSeconds = 10
    @Option(help: "Seconds between one terminal's heartbeats.") var heartbeatSeconds = 30
    @Option(help: "How long the steady reporting runs, in seconds.") var seconds = 300
    @Option(help: "Fixes each terminal sends in the burst.") var burstFixes = 10
    @Option(help: "The gateway's port.") var port = 16_808
    @Option(help: "The lubehub executable that runs the gateway.") var lubehub = ".build/release/lubehub"
    @Flag(inversion: .prefixedNo, help: "Run the carrier adapter and the core (processes of their own, a SQLite file) and look every fix answered success up in the store; without it, on carrier.in.jt808 only.")
    var store = true
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    static let referenceMessagesPerSecond = 8_000.0
    /// The terminals connect from 127.0.0.2 … (as many addresses as this), so the gateway's default
    /// limit of connections per address (2,000) holds, as trucks come from many.
    static let sourceAddresses = 10

    func run() async throws {
        guard terminals >= 1, intervalSeconds >= 1, seconds >= intervalSeconds, burstFixes >= 0 else {
            throw ValidationError("--terminals at least 1, --interval-seconds at least 1, --seconds at least one interval")
        }
        try Self.raiseFileLimit(to: terminals + 1_000)
        guard FileManager.default.isExecutableFile(atPath: lubehub) else { throw ValidationError("\(lubehub) is not there: swift build -c release --product lubehub") }
        let client = KafkaClientConfiguration(bootstrapServers: connection.bootstrapServers, clientID: "lubehub-bench-gateway")
        let prefix = "bench-gw-\(UUID().uuidString.prefix(8).lowercased())."
        let topics = ([TopicName.vehicles, TopicName.terminalCredentials, TopicName.terminalCommands, TopicName.terminalSessions, TopicName.Carrier.jt808,
                       TopicName.Carrier.deadLetters] + (store ? Self.storeTopics : [])).map { prefix + $0 }
        let admin = try KafkaAdmin(configuration: client)
        for (topic, outcome) in try await admin.createTopics(topics.map { KafkaNewTopic(name: $0, partitions: 6) }) {
            if case .failed(let reason) = outcome { throw ValidationError("could not create \(topic): \(reason)") }
        }
        var report = BenchReport(bench: "gateway")
        report.config = [("terminals", "\(terminals)"), ("interval_seconds", "\(intervalSeconds)"), ("heartbeat_seconds", "\(heartbeatSeconds)"),
                         ("seconds", "\(seconds)"), ("burst_fixes_per_terminal", "\(burstFixes)"), ("machine_cores", "\(ProcessInfo.processInfo.activeProcessorCount)"),
                         ("headers", "half 2013, half 2019")]
        let numbers = (0..<terminals).map { String(format: "0139%08d", $0) }
        try await Self.registerVehicles(numbers, topic: prefix + TopicName.vehicles, client: client)
        say("registered \(terminals) vehicles; measuring the plain producer's acknowledgement at \(terminals / intervalSeconds) messages/s for 15 s (the baseline)")
        let baseline = try await Self.plainAcknowledgements(client: client, topic: prefix + "baseline", rate: max(1, terminals / intervalSeconds), seconds: 15)

        let gateway = Process()
        gateway.executableURL = URL(fileURLWithPath: lubehub)
        gateway.arguments = ["gateway", "jt808", "--port", "\(port)", "--bootstrap", connection.bootstrapServers.joined(separator: ","),
                             "--topic-prefix", prefix, "--heartbeat-seconds", "\(heartbeatSeconds)"]
        gateway.environment = ProcessInfo.processInfo.environment.merging(["LUBEHUB_LOG_LEVEL": "warning"]) { $1 }
        try gateway.run()
        defer { if gateway.isRunning { gateway.terminate(); gateway.waitUntilExit() } }
        try await Self.waitListening(port: port, seconds: 60)
        let database = (NSTemporaryDirectory() as NSString).appendingPathComponent("lubehub-bench-gateway-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let pipeline = store ? try startStore(prefix: prefix, database: database) : []
        defer { for process in pipeline where process.isRunning { process.interrupt(); process.waitUntilExit() } }
        let before = ProcessUsage.of(pid: gateway.processIdentifier)
        let residentBefore = Self.residentBytes(pid: gateway.processIdentifier)

        // Connect and authenticate, 200 at a time.
        let connectStart = ContinuousClock.now
        let group = MultiThreadedEventLoopGroup.singleton
        var fleet: [JT808TerminalClient] = []
        fleet.reserveCapacity(terminals)
        for chunk in stride(from: 0, to: terminals, by: 200) {
            let batch = try await withThrowingTaskGroup(of: JT808TerminalClient.self) { tasks in
                for index in chunk..<min(terminals, chunk + 200) {
                    tasks.addTask {
                        let terminal = try await JT808TerminalClient.connect(group: group, port: port, number: index % 2 == 1 ? "00000000" + numbers[index] : numbers[index], version2019: index % 2 == 1,
                                                                             source: "127.0.0.\(2 + index % Self.sourceAddresses)")
                        try await terminal.registerAndAuthenticate()
                        return terminal
                    }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            fleet += batch
            if fleet.count % 2_000 == 0 || fleet.count == terminals { say("connected and authenticated \(fleet.count) of \(terminals)") }
        }
        let connectSeconds = (ContinuousClock.now - connectStart).seconds
        let connected = fleet
        let residentConnected = Self.residentBytes(pid: gateway.processIdentifier)

        // Steady reporting.
        say("each terminal reports every \(intervalSeconds) s for \(seconds) s")
        let steady = LatencyRecorder()
        let acknowledged = Locked<[String: Set<Int>]>([:])
        let failures = Locked(0)
        let cpuSteadyStart = ProcessUsage.of(pid: gateway.processIdentifier)
        let steadyStart = ContinuousClock.now
        let base = Int(Date().timeIntervalSince1970) - 86_400
        let reports = seconds / intervalSeconds
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for (index, terminal) in connected.enumerated() {
                tasks.addTask { [intervalSeconds, heartbeatSeconds] in
                    let offset = Duration.milliseconds(Int64(index) * Int64(intervalSeconds) * 1000 / Int64(connected.count))
                    var nextHeartbeat = steadyStart + offset + .seconds(heartbeatSeconds)
                    for report in 0..<reports {
                        let due = steadyStart + offset + .seconds(report * intervalSeconds)
                        while nextHeartbeat < due {
                            try await Task.sleep(until: nextHeartbeat, clock: .continuous)
                            _ = try await terminal.heartbeat()
                            nextHeartbeat += .seconds(heartbeatSeconds)
                        }
                        try await Task.sleep(until: due, clock: .continuous)
                        try await Self.report(terminal, second: base + report, into: steady, acknowledged: acknowledged, failures: failures)
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let steadyElapsed = (ContinuousClock.now - steadyStart).seconds
        let cpuSteadyEnd = ProcessUsage.of(pid: gateway.processIdentifier)

        // The burst.
        say("burst: every terminal sends \(burstFixes) fixes, each as soon as the previous one was answered")
        let burst = LatencyRecorder()
        let burstStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for terminal in connected {
                tasks.addTask {
                    for fix in 0..<burstFixes {
                        try await Self.report(terminal, second: base + reports + fix, into: burst, acknowledged: acknowledged, failures: failures)
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let burstElapsed = (ContinuousClock.now - burstStart).seconds
        let after = ProcessUsage.of(pid: gateway.processIdentifier)
        for terminal in connected { await terminal.close() }
        gateway.interrupt()
        gateway.waitUntilExit()

        let expected = acknowledged.withLock { $0 }
        let acknowledgedCount = expected.values.reduce(0) { $0 + $1.count }
        say("reading \(prefix)\(TopicName.Carrier.jt808) back to find the \(acknowledgedCount) fixes answered success")
        let missing = try await Self.missing(expected, count: acknowledgedCount, topic: prefix + TopicName.Carrier.jt808, client: client)
        var missingInStore: Int?
        if store {
            say("waiting for the carrier adapter and the core to store them (\(database))")
            missingInStore = try await Self.missingInStore(expected, count: acknowledgedCount, database: database, numbers: numbers)
        }

        let steadyFixes = Double(steady.count)
        let gatewayCPU = (cpuSteadyEnd?.cpuSeconds ?? 0) - (cpuSteadyStart?.cpuSeconds ?? 0)
        let totalCPU = (after?.cpuSeconds ?? 0) - (before?.cpuSeconds ?? 0)
        report.results = [
            ("connect_seconds", .init(value: (connectSeconds * 10).rounded() / 10, unit: "s")),
            ("fixes_per_second_sustained", .init(value: (steadyFixes / steadyElapsed).rounded(), unit: "fixes/s")),
            ("ack_p50", .init(value: steady.milliseconds(atPercentile: 50), unit: "ms")),
            ("ack_p99", .init(value: steady.milliseconds(atPercentile: 99), unit: "ms")),
            ("ack_max", .init(value: steady.maxMilliseconds, unit: "ms")),
            ("burst_fixes_per_second", .init(value: (Double(burst.count) / max(burstElapsed, 0.001)).rounded(), unit: "fixes/s")),
            ("burst_ack_p50", .init(value: burst.milliseconds(atPercentile: 50), unit: "ms")),
            ("burst_ack_p99", .init(value: burst.milliseconds(atPercentile: 99), unit: "ms")),
            // Heartbeats and the idle connections' upkeep included: what a fix costs the gateway in the steady state.
            ("gateway_cpu_ms_per_1000_fixes_steady", .init(value: (gatewayCPU / max(steadyFixes, 1) * 1_000_000 * 10).rounded() / 10, unit: "ms")),
            ("gateway_fixes_per_cpu_second", .init(value: (Double(steady.count + burst.count) / max(totalCPU, 0.001)).rounded(), unit: "fixes/s/core")),
            ("gateway_memory_per_connection", .init(value: (Double(max(0, residentConnected - residentBefore)) / Double(terminals) / 1024 * 10).rounded() / 10, unit: "KiB")),
            ("gateway_peak_memory", .init(value: Double((after?.peakResidentBytes ?? 0) >> 20), unit: "MiB")),
            ("fixes_acknowledged", .init(value: Double(acknowledgedCount), unit: "fixes")),
            ("fixes_answered_failure", .init(value: Double(failures.withLock { $0 }), unit: "fixes")),
            ("acknowledged_missing", .init(value: Double(missing), unit: "fixes")),
            ("acknowledged_missing_in_store", .init(value: Double(missingInStore ?? -1), unit: store ? "fixes" : "not checked")),
            ("kafka_ack_p50", .init(value: baseline.milliseconds(atPercentile: 50), unit: "ms")),
            ("kafka_ack_p99", .init(value: baseline.milliseconds(atPercentile: 99), unit: "ms")),
            ("reference_messages_per_second_per_server", .init(value: Self.referenceMessagesPerSecond, unit: "msg/s")),
        ]
        report.ratio("ack_p50", "kafka_ack_p50")
        report.ratio("ack_p99", "kafka_ack_p99")
        report.ratio("gateway_fixes_per_cpu_second", "reference_messages_per_second_per_server")
        print(json ? report.json : report.table)
        if missing > 0 || (missingInStore ?? 0) > 0 { throw ExitCode(1) }
    }

    /// What the carrier adapter and the core read and write, besides the gateway's topics.
    static let storeTopics = [TopicName.Carrier.shipmentEvents, TopicName.vehiclePositions, TopicName.shipments, TopicName.coreDeadLetters,
                              TopicName.orderCommands, TopicName.orderEvents, TopicName.orderUpdates]

    /// `lubehub adapter carrier` and `lubehub core` on the bench's topics and a SQLite file: what turns
    /// the gateway's frames into stored positions in production.
    func startStore(prefix: String, database: String) throws -> [Process] {
        let bootstrap = connection.bootstrapServers.joined(separator: ",")
        let adapter = Process()
        adapter.executableURL = URL(fileURLWithPath: lubehub)
        adapter.arguments = ["adapter", "carrier", "--bootstrap", bootstrap, "--topic-prefix", prefix, "--instance", "bench-\(prefix)"]
        let core = Process()
        core.executableURL = URL(fileURLWithPath: lubehub)
        core.arguments = ["core", "--bootstrap", bootstrap, "--database", database, "--group", "bench-core-\(prefix)",
                          "--positions-topic", prefix + TopicName.vehiclePositions, "--dead-letter-topic", prefix + TopicName.coreDeadLetters,
                          "--event-topics", [TopicName.vehicles, TopicName.terminalSessions, TopicName.orderCommands].map { prefix + $0 }.joined(separator: ","),
                          "--interactive-topics", prefix + TopicName.orderCommands,
                          "--order-events-topic", prefix + TopicName.orderEvents, "--order-updates-topic", prefix + TopicName.orderUpdates,
                          "--history-retention-hours", "0"]
        for process in [adapter, core] {
            process.environment = ProcessInfo.processInfo.environment.merging(["LUBEHUB_LOG_LEVEL": "warning"]) { $1 }
            try process.run()
        }
        return [adapter, core]
    }

    /// How many of the acknowledged fixes are not in the core's position history once it stops
    /// growing (polled every 2 s; given up after 10 minutes without progress).
    static func missingInStore(_ expected: [String: Set<Int>], count: Int, database: String, numbers: [String]) async throws -> Int {
        let vehicles = Dictionary(uniqueKeysWithValues: numbers.enumerated().map { ($1, "V-BENCH-\($0)") })
        let positions = try PositionStore(DatabaseLocation(parsing: database))
        var stored = -1
        var lastChange = ContinuousClock.now
        while true {
            let now = try await positions.counts().history
            if now >= count { break }
            if now != stored { stored = now; lastChange = .now }
            if ContinuousClock.now - lastChange > .seconds(600) { break }
            try await Task.sleep(for: .seconds(2))
        }
        let rows = try await positions.historyKeys()
        var missing = 0
        for (number, seconds) in expected {
            guard let vehicle = vehicles[number] else { missing += seconds.count; continue }
            missing += seconds.filter { !rows.contains("\(vehicle)@\($0)") }.count
        }
        return missing
    }

    /// One fix, timed to its answer: a success is recorded (latency, and the fix by terminal and
    /// second, to be found later), a failure counted.
    static func report(_ terminal: JT808TerminalClient, second: Int, into recorder: LatencyRecorder, acknowledged: Locked<[String: Set<Int>]>,
                       failures: Locked<Int>) async throws {
        let started = ContinuousClock.now
        if try await terminal.report(second: second) {
            recorder.record(ContinuousClock.now - started)
            acknowledged.withLock { _ = $0[String(terminal.number.suffix(12)), default: []].insert(second) }
        } else {
            failures.withLock { $0 += 1 }
        }
    }

    func say(_ text: String) {
        FileHandle.standardError.write(Data("[bench gateway] \(text)\n".utf8))
    }

    static func raiseFileLimit(to wanted: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < rlim_t(wanted) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        guard limit.rlim_cur >= rlim_t(wanted) else {
            throw ValidationError("this process may open \(limit.rlim_cur) files, \(wanted) are needed for the terminals: raise the hard limit (ulimit -Hn) or use fewer --terminals")
        }
    }

    static func residentBytes(pid: Int32) -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return (line?.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int64($0) } ?? 0) * 1024
    }

    static func registerVehicles(_ numbers: [String], topic: String, client: KafkaClientConfiguration) async throws {
        let producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(20)))
        let now = Timestamp(Date())
        let messages = try numbers.enumerated().map { index, number in
            let vehicle = "V-BENCH-\(index)"
            let event = CanonicalEvent(id: "bench:\(vehicle)", source: "bench", occurredAt: now, subject: vehicle,
                                       data: .vehicleRegistered(VehicleRegistered(vehicleId: vehicle, carrierId: "CAR-BENCH-\(index % 20)", plate: "沪A\(index)", terminalId: number)))
            return KafkaProducerMessage(topic: topic, key: Array(vehicle.utf8), value: try event.encoded())
        }
        for chunk in stride(from: 0, to: messages.count, by: 5_000) {
            _ = try await producer.sendBatch(Array(messages[chunk..<min(messages.count, chunk + 5_000)]))
        }
        try await producer.shutdown()
    }

    /// A plain producer with the gateway's settings, one small message every 1/`rate` s, each awaited on its own.
    static func plainAcknowledgements(client: KafkaClientConfiguration, topic: String, rate: Int, seconds: Int) async throws -> LatencyRecorder {
        let admin = try KafkaAdmin(configuration: client)
        _ = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 6)])
        let producer = try KafkaProducer(configuration: .init(client: client, acks: .all, idempotence: false, linger: .milliseconds(2)))
        let recorder = LatencyRecorder()
        let start = ContinuousClock.now
        let total = rate * seconds
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for index in 0..<total {
                try await Task.sleep(until: start + .microseconds(Int64(index) * 1_000_000 / Int64(rate)), clock: .continuous)
                tasks.addTask {
                    let sent = ContinuousClock.now
                    try await producer.send(KafkaProducerMessage(topic: topic, key: "t\(index % 1000)", value: String(repeating: "x", count: 60)))
                    recorder.record(ContinuousClock.now - sent)
                }
            }
            try await tasks.waitForAll()
        }
        try await producer.shutdown()
        return recorder
    }

    static func waitListening(port: Int, seconds: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("the gateway does not listen on \(port) after \(seconds) s")
    }

    /// How many of the acknowledged fixes (terminal number → fix seconds) are not on the topic (read for at most 120 s).
    static func missing(_ expected: [String: Set<Int>], count: Int, topic: String, client: KafkaClientConfiguration) async throws -> Int {
        let left = Locked((remaining: expected, count: count))
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "bench-gw-read-\(UUID().uuidString.prefix(8))", topics: [topic],
                                                              sessionTimeout: .seconds(6), autoOffsetReset: .earliest, maxBatchSize: 10_000))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for try await batch in consumer.batches {
                    let done = left.withLock { left in
                        for message in batch {
                            guard let value = message.value, let frame = try? JT808Frame.decode(value), frame.messageId == JT808Location.locationReport,
                                  let fix = try? JT808Location.decode(frame.body) else { continue }
                            if left.remaining[String(frame.terminal.suffix(12))]?.remove(Int(fix.time.timeIntervalSince1970)) != nil { left.count -= 1 }
                        }
                        return left.count == 0
                    }
                    if done { break }
                }
            }
            tasks.addTask { try await Task.sleep(for: .seconds(120)) }
            try await tasks.next()
            tasks.cancelAll()
        }
        await consumer.close()
        return left.withLock { $0.count }
    }
}

/// A value many tasks change under a lock (a class, so task closures share it).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
