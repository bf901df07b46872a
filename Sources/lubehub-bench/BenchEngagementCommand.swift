import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubAPI
import HubContracts
import HubServer
import HubStore
import Kafka
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `lubehub-bench engagement`: one announcement to the study's whole channel. A fresh SQLite hub in
/// this process gets `--dealers` dealers (6 branches, 31 provinces, both tiers, three lines with
/// classes, 60 permission groups, through the core's own rules) and the API on a server; then
/// - **the audience preview** (`POST /v1/announcements/audience-preview`, as an administrator), asked
///   `--requests` times over a mix of audiences: its p99; the baseline in the same run is the same
///   count the plain way — every dealer's audience record read and the rule (`Audience.reaches`)
///   applied in Swift;
/// - **the fan-out**: `--streams` dealers (of different branches) follow their live update stream
///   (`GET /v1/order-updates`, server-sent events); an announcement to everyone is applied by the
///   core, and the time is taken from just before its transaction until each stream has its
///   `announcement.notice` — the last one's is the figure; the baseline is the first one's;
/// - **the inboxes**: every dealer's inbox holds it the moment the core commits (an inbox is worked
///   out on read); `--inbox-reads` dealers' `GET /v1/announcements` with it in: p99, against the
///   JSON API's plain `GET /v1/orders?limit=50` for the same dealers.
/// Targets: preview p99 ≤ 200 ms at 55,000 dealers; the last of 1,000 streams within 5 s.
struct BenchEngagementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engagement",
        abstract: "An announcement to 55,000 dealers: the audience preview's p99, the time to the last of 1,000 live streams, and the inbox read."
    )

    @Option(help: "Dealers in the channel.") var dealers = 55_000
    @Option(help: "Live streams open when the announcement is published.") var streams = 1_000
    @Option(help: "Audience previews asked for.") var requests = 200
    @Option(help: "Dealers whose inbox is read after the announcement.") var inboxReads = 500
    @Option(help: "The port the in-process server listens on.") var port = 18_183
    @Option(help: "Folder for the benchmark's SQLite file (removed afterwards).") var workDirectory = NSTemporaryDirectory()
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    static let branches = ["BR-EAST", "BR-NORTH", "BR-SOUTH", "BR-WEST", "BR-CENTRAL", "BR-NORTHEAST"]
    static let provinces = ["上海", "江苏", "浙江", "安徽", "山东", "北京", "天津", "河北", "山西", "内蒙古", "广东", "广西", "福建", "海南", "四川", "重庆",
                            "云南", "贵州", "西藏", "陕西", "河南", "湖北", "湖南", "江西", "辽宁", "吉林", "黑龙江", "甘肃", "青海", "宁夏", "新疆"]

    func run() async throws {
        guard dealers >= 1_000, (1...1_900).contains(streams), streams <= dealers, requests >= 10, inboxReads >= 10 else {
            throw ValidationError("--dealers at least 1,000; --streams 1 to 1,900 and at most --dealers; --requests and --inbox-reads at least 10")
        }
        var report = BenchReport(bench: "engagement")
        report.config = [("dealers", "\(dealers)"), ("streams", "\(streams)"), ("previews", "\(requests)"), ("inbox_reads", "\(inboxReads)"), ("store", "sqlite"),
                         ("targets", "preview p99 <= 200 ms; last stream <= 5 s")]
        let path = (workDirectory as NSString).appendingPathComponent("lubehub-bench-engagement-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm", ".secret"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let location = DatabaseLocation(parsing: path)
        let commits = CommitSignal()
        var seeder = try CoreSeeder(location, source: "bench", topic: "bench-engagement", commits: commits)
        try await seed(&seeder)

        var api = HubConfiguration.APISection()
        api.secretFile = path + ".secret"
        api.passwordCostLog2 = 10
        api.port = port
        let producer = try KafkaProducer(configuration: .init(client: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "bench-engagement")))
        var services = try APIServices.make(api, database: path, catalogue: TopicCatalogue(topics: [], common: .object([:])), producer: producer, coreCommits: commits)
        services.streams = LiveStreamLimits(perCaller: 4, total: streams + 100)
        let signing = try api.keys().tokenSigning
        func token(_ principal: Principal) -> String {
            JSONWebToken.signHS256(JSONWebToken.Claims(principal: principal, issuer: "lubehub", audience: "lubehub-api", issuedAt: Date(), lifetime: 3_600), secret: signing)
        }
        let server = APIServer.application(host: "127.0.0.1", port: port, readiness: [], metrics: { "" }, services: services, modules: [],
                                           logger: Logger(label: "bench-engagement", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: Logger(label: "bench-engagement")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: streams + 50)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "http://127.0.0.1:\(port)"
        try await InProcessServer.waitUntilAnswering(http, base)
        let admin = token(Principal(subject: "U-BENCH-ADMIN", role: .admin))

        // The audience preview against the plain count.
        let audiences = [
            #"{}"#, #"{"branches":["BR-EAST"]}"#, #"{"branches":["BR-EAST","BR-SOUTH"],"tiers":["tier1"]}"#,
            #"{"provinces":["上海","江苏","浙江"],"productLines":["bulk"],"customerClasses":["A"]}"#, #"{"permissionGroups":["PG-07","PG-31"]}"#,
            #"{"tiers":["tier2"],"productLines":["industrial-packaged"],"dealers":["D-000001","D-000002"]}"#,
        ]
        let preview = LatencyRecorder(), plain = LatencyRecorder()
        var reached: [String: Int] = [:]
        progress("audience previews: \(requests), and the plain count of each audience")
        for number in -5..<requests {
            let body = audiences[(number + audiences.count) % audiences.count]
            var request = HTTPClientRequest(url: base + "/v1/announcements/audience-preview")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(admin)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"audience":\#(body)}"#))
            let start = ContinuousClock.now
            let answer = try await http.execute(request, timeout: .seconds(30))
            let text = String(buffer: try await answer.body.collect(upTo: 1 << 20))
            guard answer.status == .ok else { throw ValidationError("the preview answered \(answer.status): \(text.prefix(300))") }
            if number >= 0 { preview.record(.now - start) }
            reached[body] = (try? JSONParser.parse(text))?["dealers"]?.doubleValue.map { Int($0) }
        }
        let reader = try APIDatabase(location)
        for number in 0..<max(requests / 10, 6) {
            let body = audiences[number % audiences.count]
            guard let audience = try? JSONDecoder().decode(Audience.self, from: Data(body.utf8)) else { throw ValidationError("audience \(body)") }
            let start = ContinuousClock.now
            let counted = try await reader.read { reader throws(StoreError) -> Int in
                try reader.announcements.allAudienceMembers().filter { audience.reaches($0) }.count
            }
            plain.record(.now - start)
            guard counted == reached[body] else { throw ValidationError("the preview counted \(reached[body] ?? -1) for \(body), the rule \(counted)") }
        }
        report.results.append(("preview_p50", .init(value: preview.milliseconds(atPercentile: 50), unit: "ms")))
        report.results.append(("preview_p99", .init(value: preview.milliseconds(atPercentile: 99), unit: "ms")))
        report.results.append(("plain_rule_count_p99", .init(value: plain.milliseconds(atPercentile: 99), unit: "ms")))
        report.results.append(("preview_everyone_dealers", .init(value: Double(reached[audiences[0]] ?? 0), unit: "dealers")))

        // The fan-out: streams open, then one announcement to everyone through the core.
        progress("opening \(streams) live streams of dealers")
        let bearers = (0..<streams).map { number -> String in
            let dealerId = Self.dealerId(number * (dealers / streams))
            return token(Principal(subject: "U-" + dealerId, role: .dealer, dealerId: dealerId))
        }
        let tally = FanOutTally()
        let announcementId = "ANN-BENCH-FANOUT"
        let watchers = Task { [tally] in
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                for bearer in bearers {
                    tasks.addTask {
                        var request = HTTPClientRequest(url: base + "/v1/order-updates")
                        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
                        let response = try await http.execute(request, timeout: .seconds(120))
                        guard response.status == .ok else { throw ValidationError("a stream answered \(response.status)") }
                        tally.opened.withLock { $0 += 1 }
                        var events = ServerSentEventReader()
                        for try await chunk in response.body {
                            events.append(chunk.readableBytesView)
                            while let event = events.next() {
                                guard event.event == "announcement.notice", String(decoding: event.data, as: UTF8.self).contains(announcementId) else { continue }
                                let at = ContinuousClock.now
                                if let start = tally.published.withLock({ $0 }) { tally.delivered.withLock { $0.append(at - start) } }
                                return
                            }
                        }
                    }
                }
                try await tasks.waitForAll()
            }
        }
        let openDeadline = ContinuousClock.now + .seconds(120)
        while tally.opened.withLock({ $0 }) < streams {
            guard ContinuousClock.now < openDeadline else { throw ValidationError("only \(tally.opened.withLock { $0 }) of \(streams) streams opened in 2 minutes") }
            try await Task.sleep(for: .milliseconds(50))
        }
        // A stream starts at the newest row when it opens; give the last ones a moment to take their place.
        try await Task.sleep(for: .milliseconds(500))
        progress("publishing the announcement to every dealer")
        tally.published.withLock { $0 = .now }
        let applyStart = ContinuousClock.now
        try await seeder.apply(.announcementPublished(AnnouncementPublished(
            announcementId: announcementId, version: 1, kind: .policy, title: "2027 年度返利政策", body: "请阅读并确认。", publishAt: Timestamp(Date().addingTimeInterval(-1)),
            audience: .everyone, requiresAcknowledgement: true, publishedBy: "U-BENCH-ADMIN")), announcementId)
        let applied = ContinuousClock.now - applyStart
        let deliveryDeadline = ContinuousClock.now + .seconds(60)
        while tally.delivered.withLock({ $0.count }) < streams {
            guard ContinuousClock.now < deliveryDeadline else { throw ValidationError("only \(tally.delivered.withLock { $0.count }) of \(streams) streams had the notice within 60 s") }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await watchers.value
        let times = tally.delivered.withLock { $0 }.sorted()
        func milliseconds(_ duration: Duration) -> Double { Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15 }
        report.results.append(("announcement_applied", .init(value: milliseconds(applied), unit: "ms")))
        report.results.append(("first_stream_notice", .init(value: milliseconds(times[0]), unit: "ms")))
        report.results.append(("median_stream_notice", .init(value: milliseconds(times[times.count / 2]), unit: "ms")))
        report.results.append(("last_stream_notice", .init(value: milliseconds(times[times.count - 1]), unit: "ms")))

        // The inboxes: every dealer's holds it; read some, against the plain orders read.
        progress("reading \(inboxReads) dealers' inboxes")
        let inbox = LatencyRecorder(), orders = LatencyRecorder()
        for number in -10..<inboxReads {
            let dealerId = Self.dealerId((abs(number) * 7_919) % dealers)
            let bearer = token(Principal(subject: "U-" + dealerId, role: .dealer, dealerId: dealerId))
            for (path, recorder) in [("/v1/announcements", inbox), ("/v1/orders?limit=50", orders)] {
                var request = HTTPClientRequest(url: base + path)
                request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
                let start = ContinuousClock.now
                let answer = try await http.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await answer.body.collect(upTo: 4 << 20))
                guard answer.status == .ok else { throw ValidationError("\(path) answered \(answer.status)") }
                if path == "/v1/announcements", !text.contains(announcementId) { throw ValidationError("\(dealerId)'s inbox does not hold the announcement") }
                if number >= 0 { recorder.record(.now - start) }
            }
        }
        report.results.append(("inbox_p99", .init(value: inbox.milliseconds(atPercentile: 99), unit: "ms")))
        report.results.append(("orders_json_p99", .init(value: orders.milliseconds(atPercentile: 99), unit: "ms")))
        try await http.shutdown()
        running.cancel()
        report.ratio("preview_p99", "plain_rule_count_p99")
        report.ratio("last_stream_notice", "first_stream_notice")
        report.ratio("inbox_p99", "orders_json_p99")
        print(json ? report.json : report.table)
    }

    static func dealerId(_ number: Int) -> String { String(format: "D-%06d", number) }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench engagement] \(text)\n".utf8))
    }

    /// The channel: dealers spread over branches, provinces, tiers, lines and classes, in 60
    /// permission groups (each dealer in one, by its record), through the core's rules.
    func seed(_ seeder: inout CoreSeeder) async throws {
        let classes = ["A", "B", "C", "D"]
        let lines: [ProductLine] = [.automotivePackaged, .industrialPackaged, .bulk]
        let started = ContinuousClock.now
        for number in 0..<dealers {
            let dealerId = Self.dealerId(number)
            let carried = (0..<3).filter { (number >> $0) & 1 == 1 || $0 == number % 3 }.map {
                DealerUpserted.ProductLineClass(productLine: lines[$0], customerClass: classes[(number / 3 + $0) % classes.count])
            }
            let dealer = DealerUpserted(dealerId: dealerId, name: "经销商 \(number)", tier: number % 11 == 0 ? .tier1 : .tier2,
                                        branchId: Self.branches[number % Self.branches.count], region: Region(province: Self.provinces[number % Self.provinces.count]),
                                        productLines: carried, permissionGroupIds: [String(format: "PG-%02d", number % 60)],
                                        creditLimit: Money(amount: DecimalNumber("100000")!), status: .active)
            try await seeder.apply(.dealerUpserted(dealer), dealerId)
            if (number + 1) % 5_000 == 0 { progress("dealers: \(number + 1) of \(dealers) (\(Int((ContinuousClock.now - started) / .seconds(1))) s)") }
        }
    }
}

/// What the fan-out's streams report, shared with the task that publishes.
final class FanOutTally: Sendable {
    /// Each stream's time from publishing to its notice.
    let delivered = Mutex<[Duration]>([])
    /// When the announcement's transaction began.
    let published = Mutex<ContinuousClock.Instant?>(nil)
    /// Streams answered 200.
    let opened = Mutex(0)
}
