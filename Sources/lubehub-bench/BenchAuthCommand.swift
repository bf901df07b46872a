import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubAPI
import HubCommandLine
import HubContracts
import HubServer
import HubStore
import Kafka
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `lubehub bench auth`: what signing in and being signed in cost. An API server runs in this
/// process on a fresh SQLite file with the production password cost; an open-loop client (the next
/// request does not wait for the last answer) then measures, each at `--rate`:
///
/// - the baseline: `GET /v1/me` with a bearer token (a signature check, remembered per token);
/// - `GET /v1/me` with a session cookie (a database read per request, a write at most once a minute);
/// - sign-ins (`POST /v1/session`) offered at `--rate`: scrypt admits one at a time, so most are
///   refused with 503 + Retry-After — the point is that the hub keeps answering;
/// - sign-ins at `--sustained-rate`, the rate the hasher can take, with their latency.
///
/// Beside them, the KDF's cost per hash at the configured strength and two weaker ones.
struct BenchAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Sign-in and session-checked request latency at a fixed rate vs. a token-checked request, and the password KDF's cost."
    )

    @Option(help: "Requests per second for the token, session and offered sign-in phases.") var rate: Double = 200
    @Option(help: "Sign-ins per second for the sustained phase.") var sustainedRate: Double = 2
    @Option(help: "Seconds each phase runs.") var seconds: Double = 15
    @Option(help: "log2 of scrypt's N (17: the production default).") var costLog2 = 17
    @Option(help: "The port the in-process API listens on.") var port = 18_181
    @Option(help: "Folder for the benchmark's SQLite file (removed afterwards).") var workDirectory = NSTemporaryDirectory()
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        var report = BenchReport(bench: "auth")
        report.config = [("rate", "\(Int(rate))"), ("sustained_rate", "\(sustainedRate)"), ("seconds", "\(Int(seconds))"),
                         ("kdf", "scrypt N=2^\(costLog2) r=8 p=1"), ("store", "sqlite")]
        for log2N in [costLog2, 14, 10] {
            let perHash = try await kdfMilliseconds(log2N: log2N)
            progress("scrypt N=2^\(log2N): \(String(format: "%.1f", perHash)) ms per hash")
            report.results.append(("kdf_2^\(log2N)_per_hash", .init(value: perHash, unit: "ms")))
        }

        let path = (workDirectory as NSString).appendingPathComponent("lubehub-bench-auth-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let location = DatabaseLocation(parsing: path)
        var api = HubConfiguration.APISection()
        api.secretFile = path + ".secret"
        defer { try? FileManager.default.removeItem(atPath: path + ".secret") }
        api.passwordCostLog2 = costLog2
        api.port = port
        let producer = try KafkaProducer(configuration: .init(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "bench-auth")))
        let services = try APIServices.make(api, database: path, catalogue: TopicCatalogue(topics: [], common: .object([:])), producer: producer)
        guard let accounts = services.accounts else { throw ValidationError("the API was assembled without accounts") }
        let users = 20
        progress("creating \(users) accounts (scrypt N=2^\(costLog2) each)")
        for index in 0..<users {
            let hash = try await accounts.hasher.hash("bench password \(index)")
            _ = try await accounts.store.create(UserRecord(userId: "U-BENCH\(index)", login: "bench\(index)", displayName: "压测 \(index)", role: "admin"),
                                                passwordHash: hash, by: ChangeActor(id: "bench", source: "cli"), now: Timestamp(Date()))
        }
        let server = APIServer.application(host: "127.0.0.1", port: port, readiness: [], metrics: { "" }, services: services,
                                           logger: Logger(label: "bench-auth", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: Logger(label: "bench-auth")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        // Open loop: enough connections that requests reach the server when they are due, rather than
        // queue in the client's pool (8 per host by default) and time out there.
        var httpConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(60)))
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1_024
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let base = "http://127.0.0.1:\(port)"
        try await InProcessServer.waitUntilAnswering(http, base)

        let token = try api.issueToken(for: Principal(subject: "U-BENCH-TOKEN", role: .admin), lifetime: 3600)
        progress("baseline: GET /v1/me with a bearer token at \(Int(rate))/s for \(Int(seconds)) s")
        let tokenPhase = try await openLoop(rate: rate) { _ in
            var request = HTTPClientRequest(url: base + "/v1/me")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            return request
        }(http)
        var signedIn: [String] = []
        for index in 0..<users {
            let answer = try await http.execute(signIn(base, index), timeout: .seconds(30))
            guard answer.status == .ok, let cookie = answer.headers["set-cookie"].first?.split(separator: ";").first else {
                throw ValidationError("sign-in of bench\(index) answered \(answer.status)")
            }
            signedIn.append(String(cookie))
        }
        let cookies = signedIn
        progress("GET /v1/me with a session cookie at \(Int(rate))/s for \(Int(seconds)) s")
        let sessionPhase = try await openLoop(rate: rate) { number in
            var request = HTTPClientRequest(url: base + "/v1/me")
            request.headers.add(name: "Cookie", value: cookies[number % cookies.count])
            return request
        }(http)
        progress("POST /v1/session offered at \(Int(rate))/s for \(Int(seconds)) s")
        let floodPhase = try await openLoop(rate: rate) { number in signIn(base, number % users) }(http)
        progress("POST /v1/session at \(sustainedRate)/s for \(Int(seconds)) s")
        let sustainedPhase = try await openLoop(rate: sustainedRate) { number in signIn(base, number % users) }(http)
        try await http.shutdown()
        running.cancel()

        func add(_ name: String, _ phase: Phase) {
            report.results.append(("\(name)_p50", .init(value: phase.latency.milliseconds(atPercentile: 50), unit: "ms")))
            report.results.append(("\(name)_p99", .init(value: phase.latency.milliseconds(atPercentile: 99), unit: "ms")))
            report.results.append(("\(name)_ok_per_second", .init(value: Double(phase.ok.load(ordering: .relaxed)) / seconds, unit: "req/s")))
        }
        add("token_me", tokenPhase)
        add("session_me", sessionPhase)
        add("signin_offered", floodPhase)
        report.results.append(("signin_offered_refused_503", .init(value: Double(floodPhase.busy.load(ordering: .relaxed)), unit: "requests")))
        report.results.append(("signin_offered_other_failures", .init(value: Double(floodPhase.failed.load(ordering: .relaxed)), unit: "requests")))
        add("signin_sustained", sustainedPhase)
        for (name, phase) in [("token", tokenPhase), ("session", sessionPhase), ("offered sign-in", floodPhase), ("sustained sign-in", sustainedPhase)] {
            let failures = phase.failures.withLock { $0 }
            if !failures.isEmpty { progress("\(name) failures: \(failures.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))") }
        }
        report.ratio("session_me_p99", "token_me_p99")
        report.ratio("session_me_p50", "token_me_p50")
        report.ratio("signin_sustained_p99", "kdf_2^\(costLog2)_per_hash")
        print(json ? report.json : report.table)
    }

    /// The results of one phase: latency of the requests answered 2xx, and the counts.
    final class Phase: Sendable {
        let latency = LatencyRecorder()
        let ok = Atomic<Int>(0)
        let busy = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        /// What the failures were (a status, or an error), counted.
        let failures = Mutex<[String: Int]>([:])

        func fail(_ what: String) {
            failed.add(1, ordering: .relaxed)
            failures.withLock { $0[what, default: 0] += 1 }
        }
    }

    func signIn(_ base: String, _ index: Int) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + "/v1/session")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"login":"bench\#(index)","password":"bench password \#(index)"}"#))
        return request
    }

    /// Sends `rate` requests a second for `seconds`, each at its planned time whatever the answers
    /// before it; latency measured from the planned time (so a queue in the client counts too).
    func openLoop(rate: Double, _ make: @escaping @Sendable (Int) -> HTTPClientRequest) -> @Sendable (HTTPClient) async throws -> Phase {
        let total = Int(rate * seconds)
        return { http in
            let phase = Phase()
            let start = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for number in 0..<total {
                    let planned = start + .seconds(Double(number) / rate)
                    try? await Task.sleep(until: planned)
                    group.addTask {
                        do {
                            let answer = try await http.execute(make(number), timeout: .seconds(60))
                            _ = try await answer.body.collect(upTo: 1 << 20)
                            if (200..<300).contains(Int(answer.status.code)) {
                                phase.latency.record(.now - planned)
                                phase.ok.add(1, ordering: .relaxed)
                            } else if answer.status == .serviceUnavailable {
                                phase.busy.add(1, ordering: .relaxed)
                            } else {
                                phase.fail("HTTP \(answer.status.code)")
                            }
                        } catch {
                            phase.fail("\(error)")
                        }
                    }
                }
            }
            return phase
        }
    }

    func kdfMilliseconds(log2N: Int) async throws -> Double {
        let hasher = PasswordHasher(cost: .init(log2N: log2N))
        let rounds = log2N >= 16 ? 3 : 10
        _ = try await hasher.hash("warm up")
        let start = ContinuousClock.now
        for _ in 0..<rounds { _ = try await hasher.hash("a pass phrase") }
        return (ContinuousClock.now - start) / .milliseconds(1) / Double(rounds)
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench auth] \(text)\n".utf8))
    }
}
