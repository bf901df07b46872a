import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubAPI
import HubCommandLine
import HubContracts
import HubStore
import Kafka
import NIOCore
import Simulator

/// `lubehub bench admin`: how soon an administrator's change reaches a dealer. Against a running
/// hub holding the study's company, an administrator's permission group grants one tier-1 dealer a
/// material of a product line it does not buy, then takes it away again, `--edits` times in turn,
/// one change a second apart (each names the version the last one left). Measured: the `PUT`'s
/// answer (the API answers once the core applied the change) and the moment the dealer's prices
/// show (or stop showing) the material, polled every 5 ms. The baseline, in the same run: a bare
/// Kafka round trip on the same broker — the floor under a change that travels through Kafka.
struct BenchAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "An administrator's permission-group change until the dealer's prices show it, vs. a Kafka round trip.",
        discussion: "Runs against a hub on the same configuration (make bench-admin starts a fresh one: scripts/bench-hub admin)."
    )

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @OptionGroup var companyOptions: CompanyOptions
    @Option(help: "Changes made (granted, then taken away, in turn).") var edits = 60
    @Option(help: "The API's base URL (default: http://api.host:api.port of the configuration).") var api: String?
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        guard (2...10_000).contains(edits) else { throw ValidationError("--edits must be 2–10,000") }
    }

    func run() async throws {
        let configuration = try configurationOptions.load()
        _ = try catalogueOptions.load()
        let client = try configuration.kafka.client(clientID: "lubehub-bench-admin")
        let location = DatabaseLocation(parsing: configuration.core.database)
        let company = try await companyOptions.ensurePublished(client: client, location: location, wait: true) { progress($0) }

        progress("baseline: a Kafka round trip at 10/s for 20 s")
        let baseline = try await KafkaRoundTrip.measure(client: client, rate: 10, seconds: 20)

        let apiSection = configuration.api
        let baseURL = api ?? "http://\(apiSection.host == "0.0.0.0" ? "127.0.0.1" : apiSection.host):\(apiSection.port)"
        let token = try apiSection.issueToken(for: Principal(subject: "U-bench-admin", role: .admin), lifetime: 3600)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(60))))
        let hub = AdminClient(http: http, baseURL: baseURL, token: token)
        do {
            try await measure(hub, company: company, baseline: baseline, brokers: configuration.kafka.bootstrap.joined(separator: ","), baseURL: baseURL)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    private func measure(_ hub: AdminClient, company: Company, baseline: LatencyRecorder, brokers: String, baseURL: String) async throws {

        // A tier-1 dealer that buys one product line, and a material of another line its prices
        // do not show (its class's price list has every material, so granting it shows a price).
        guard let dealer = company.tier1.first(where: { $0.channels.count == 1 }),
              let material = company.materials.first(where: { $0.channel != dealer.channels[0] }) else {
            throw ValidationError("the company has no single-line tier-1 dealer and another line's material to grant it")
        }
        guard try await !hub.seesPrice(dealerId: dealer.dealerId, materialId: material.number) else {
            throw ValidationError("\(dealer.dealerId) already sees \(material.number): run against a fresh hub (scripts/bench-hub admin)")
        }
        let groupId = "PG-BENCH-" + String(Int(Date().timeIntervalSince1970), radix: 36).uppercased()
        progress("\(edits) changes of \(groupId): \(dealer.dealerId) granted \(material.number) and not, in turn, over \(baseURL)")

        let answered = LatencyRecorder(), visible = LatencyRecorder()
        var version = 0
        var pending = 0
        for edit in 0..<edits {
            let grant = edit % 2 == 0
            let started = ContinuousClock.now
            let body = #"{"version":\#(version),"name":"bench","dealerIds":["\#(dealer.dealerId)"],"materialIds":[\#(grant ? "\"\(material.number)\"" : "")],"priceListId":"\#(Company.priceList(customerClass: dealer.customerClass))"}"#
            let (status, answer) = try await hub.put("/v1/permission-groups/\(groupId)", body: body)
            answered.record(.now - started)
            switch status {
            case 200: version = answer["version"]?.doubleValue.map { Int($0) } ?? version + 1
            case 202: pending += 1; version += 1
            default: throw ValidationError("PUT \(groupId) answered \(status): \(answer)")
            }
            let deadline = started + .seconds(30)
            while try await hub.seesPrice(dealerId: dealer.dealerId, materialId: material.number) != grant {
                guard ContinuousClock.now < deadline else { throw ValidationError("change \(edit + 1) not visible to \(dealer.dealerId) after 30 s") }
                try await Task.sleep(for: .milliseconds(5))  // polling the API: the condition is another process's
            }
            visible.record(.now - started)
            FileHandle.standardError.write(Data("\r[bench admin] \(edit + 1)/\(edits) changes\u{1B}[K".utf8))
            try await Task.sleep(until: started + .seconds(1))
        }
        FileHandle.standardError.write(Data("\n".utf8))

        var report = BenchReport(bench: "admin")
        report.config = [("edits", String(edits)), ("dealers", String(company.dealers.count)), ("materials", String(company.materials.count)),
                         ("broker", brokers), ("api", baseURL)]
        for (name, recorder) in [("put_answered", answered), ("change_visible", visible), ("kafka_roundtrip", baseline)] {
            for (label, percentile) in [("p50", 50.0), ("p99", 99.0)] {
                report.results.append(("\(name)_\(label)", .init(value: (recorder.milliseconds(atPercentile: percentile) * 100).rounded() / 100, unit: "ms")))
            }
            report.results.append(("\(name)_max", .init(value: (recorder.maxMilliseconds * 100).rounded() / 100, unit: "ms")))
        }
        report.results.append(("answered_202", .init(value: Double(pending), unit: "changes")))
        report.ratio("change_visible_p50", "kafka_roundtrip_p50")
        report.ratio("change_visible_p99", "kafka_roundtrip_p99")
        print(json ? report.json : report.table)
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench admin] \(text)\n".utf8))
    }
}

/// The few calls the bench makes, as an administrator.
private struct AdminClient {
    let http: HTTPClient
    let baseURL: String
    let token: String

    func put(_ path: String, body: String) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    /// Whether the dealer's prices include the material.
    func seesPrice(dealerId: String, materialId: String) async throws -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/v1/prices?dealerId=\(dealerId)&materialId=\(materialId)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let (status, answer) = try await send(request)
        guard status == 200 else { throw ValidationError("GET /v1/prices answered \(status): \(answer)") }
        return !(answer["prices"]?.arrayValue ?? []).isEmpty
    }

    private func send(_ request: HTTPClientRequest) async throws -> (Int, JSONValue) {
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONParser.parse(Array(body.readableBytesView))) ?? .null)
    }
}
