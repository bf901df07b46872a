import ArgumentParser
import Foundation
import HubContracts
import HubDomain
@_spi(SQL) import HubStore

/// `lubehub-bench books`: a tier-1 dealer's monthly report (R1) over a busy month. A fresh store
/// (SQLite in the temporary folder, or `--database postgresql://…`) gets one tier-1 dealer,
/// `--materials` materials and `--customers` customers, every document applied through the core's
/// own rules: an opening count of every material, then `--entries` book lines in November 2026
/// (China time) in documents of 1–8 lines — sales 75 %, customers' returns 5 %, returns to the
/// company 5 %, payments 15 % — and a quarter of that in October. Then the month's report
/// (``BookReadModel/report(dealerId:from:to:fromLinesOnly:)``: per material and customer, receivables
/// ageing, totals; whole days from the daily sums the core keeps) is asked for `--requests` times:
/// p50 and p99. The baseline in the same run is the same report from the month's lines (every line
/// added up through the covering index), and the two must agree to the fen. Target: report p99 ≤ 100 ms at
/// 100,000 lines.
struct BenchBooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "books",
        abstract: "A tier-1 dealer's monthly report over 100,000 book lines in the month: p50, p99, against the same report from the lines."
    )

    @Option(help: "Book lines in the reported month.") var entries = 100_000
    @Option(help: "Materials the dealer trades.") var materials = 300
    @Option(help: "The dealer's customers.") var customers = 500
    @Option(help: "Reports asked for (and plain reads as the baseline).") var requests = 200
    @Option(help: "A PostgreSQL server URL: measure there (in a scratch database, dropped afterwards) instead of a temporary SQLite file.") var postgres: String?
    @Option(help: "Folder for the benchmark's SQLite file (removed afterwards).") var workDirectory = NSTemporaryDirectory()
    @Flag(help: "Keep the SQLite file afterwards (its path is printed), to look into it.") var keepDatabase = false
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    static let dealerId = "D-BOOKS"

    func run() async throws {
        guard entries >= 1_000, (1...5_000).contains(materials), (1...50_000).contains(customers), requests >= 10 else {
            throw ValidationError("--entries at least 1,000; --materials 1 to 5,000; --customers 1 to 50,000; --requests at least 10")
        }
        let path = (workDirectory as NSString).appendingPathComponent("lubehub-bench-books-\(UUID().uuidString).sqlite")
        defer {
            if keepDatabase { progress("kept \(path)") } else { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        }
        let scratch = try postgres.map { try ScratchPostgresDatabase(server: $0, prefix: "lubehub_bench") }
        defer { scratch?.drop() }
        let location = scratch?.location ?? .sqlite(path: path)
        var report = BenchReport(bench: "books")
        report.config = [("entries_in_month", "\(entries)"), ("materials", "\(materials)"), ("customers", "\(customers)"), ("requests", "\(requests)"),
                         ("store", postgres == nil ? "sqlite" : "postgresql"), ("target", "report p99 <= 100 ms")]
        var seeder = try CoreSeeder(location, source: "bench", topic: "bench-books")
        let seeding = ContinuousClock.now
        let lines = try await seed(&seeder)
        report.results.append(("seeded_lines", .init(value: Double(lines), unit: "lines")))
        report.results.append(("seed_seconds", .init(value: ((ContinuousClock.now - seeding) / .milliseconds(100)).rounded() / 10, unit: "s")))

        guard let month = BookMonth("2026-11") else { throw ValidationError("no month") }
        let reader = try ReadConnections(location, count: 1)
        let (from, to) = (month.from, month.to)
        let dealerId = Self.dealerId
        // One of each first (connection, caches), then the measured runs.
        let first = try await reader.read { reader throws(StoreError) in try reader.books.report(dealerId: dealerId, from: from, to: to) }
        let reports = LatencyRecorder()
        let plain = LatencyRecorder()
        progress("asking for the month's report \(requests) times, and for the same report from the lines as often")
        var plainReport: BookReport?
        for _ in 0..<requests {
            let started = ContinuousClock.now
            _ = try await reader.read { reader throws(StoreError) in try reader.books.report(dealerId: dealerId, from: from, to: to) }
            reports.record(ContinuousClock.now - started)
            let plainStarted = ContinuousClock.now
            plainReport = try await reader.read { reader throws(StoreError) in try reader.books.report(dealerId: dealerId, from: from, to: to, fromLinesOnly: true) }
            plain.record(ContinuousClock.now - plainStarted)
        }
        // Both ways give the same report to the fen, or the figures mean nothing.
        guard plainReport == first else { throw ValidationError("the report from the daily sums differs from the one from the lines") }
        report.results.append(("report_materials", .init(value: Double(first.materials.count), unit: "materials")))
        report.results.append(("report_customers", .init(value: Double(first.customers.count), unit: "customers")))
        report.results.append(("report_p50", .init(value: reports.milliseconds(atPercentile: 50), unit: "ms")))
        report.results.append(("report_p99", .init(value: reports.milliseconds(atPercentile: 99), unit: "ms")))
        report.results.append(("lines_report_p50", .init(value: plain.milliseconds(atPercentile: 50), unit: "ms")))
        report.results.append(("lines_report_p99", .init(value: plain.milliseconds(atPercentile: 99), unit: "ms")))
        report.ratio("report_p99", "lines_report_p99")
        print(json ? report.json : report.table)
    }

    /// The dealer, its materials, an opening count, October at a quarter of the month's volume, then
    /// the month; how many book lines were written in the month.
    func seed(_ seeder: inout CoreSeeder) async throws -> Int {
        progress("seeding a tier-1 dealer with \(materials) materials and \(customers) customers")
        let dealer = Self.dealerId
        try await seeder.apply(.dealerUpserted(DealerUpserted(dealerId: dealer, name: "基准一级经销商", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                                                           productLines: [], permissionGroupIds: [], creditLimit: Money(amount: DecimalNumber(1_000_000)),
                                                           status: .active)), dealer)
        let materialIds = (0..<materials).map { String(format: "M-B%05d", $0) }
        for material in materialIds {
            try await seeder.apply(.materialUpserted(MaterialUpserted(materialId: material, name: "机油 \(material)", productLine: .automotivePackaged,
                                                                      productLineCode: "10", category: "engine-oil", grade: "SN 5W-30",
                                                                      packageSize: .init(value: DecimalNumber(4), unit: "L"), unitOfMeasure: "EA",
                                                                      status: "active")), material)
        }
        var random = SystemRandomNumberGenerator()
        var number = 0
        func record(_ kind: BookEntryKind, customer: Int?, lines: [BookEntryRecorded.Line], amount: DecimalNumber? = nil, at: Date,
                    _ seeder: inout CoreSeeder) async throws {
            number += 1
            let entry = BookEntryRecorded(entryId: "BE-\(number)", dealerId: dealer, kind: kind,
                                          customer: customer.map { .init(customerId: "C\($0)", name: "客户 \($0)", kind: $0 % 3 == 0 ? .quickLube : .endCustomer) },
                                          lines: lines, amount: amount, at: Timestamp(at), recordedBy: "bench")
            try await seeder.apply(.bookEntryRecorded(entry), dealer)
        }
        guard let october = BookMonth("2026-10"), let november = BookMonth("2026-11") else { throw ValidationError("no month") }
        // Opening stock: plenty of every material at a cost of its own.
        let opening = materialIds.enumerated().map { index, material in
            BookEntryRecorded.Line(materialId: material, quantity: DecimalNumber(10_000_000), unitCost: DecimalNumber(Decimal(100 + index % 50)))
        }
        for part in stride(from: 0, to: opening.count, by: 200) {
            try await record(.stockCount, customer: nil, lines: Array(opening[part..<min(part + 200, opening.count)]),
                             at: october.from.date.addingTimeInterval(60), &seeder)
        }
        var inMonth = 0
        for (period, target) in [(october, entries / 4), (november, entries)] {
            progress("seeding \(target) book lines in \(period.text)")
            let span = period.to.date.timeIntervalSince(period.from.date) - 3_600
            var written = 0
            while written < target {
                let at = period.from.date.addingTimeInterval(3_600 + span * Double(written) / Double(target))
                let customer = Int.random(in: 0..<customers, using: &random)
                let roll = Int.random(in: 0..<100, using: &random)
                if roll < 15 {
                    try await record(.payment, customer: customer, lines: [], amount: DecimalNumber(Decimal(Int.random(in: 100...5_000, using: &random))), at: at, &seeder)
                    written += 1
                    continue
                }
                let count = min(Int.random(in: 1...8, using: &random), target - written)
                let lines = (0..<count).map { _ in
                    BookEntryRecorded.Line(materialId: materialIds[Int.random(in: 0..<materialIds.count, using: &random)],
                                           quantity: DecimalNumber(Decimal(Int.random(in: 1...5, using: &random))),
                                           unitPrice: DecimalNumber(Decimal(Int.random(in: 160...240, using: &random))))
                }
                switch roll {
                case ..<90: try await record(.sale, customer: customer, lines: lines, at: at, &seeder)
                case ..<95: try await record(.customerReturn, customer: customer, lines: lines, at: at, &seeder)
                default: try await record(.returnToCompany, customer: nil, lines: lines.map { .init(materialId: $0.materialId, quantity: $0.quantity) }, at: at, &seeder)
                }
                written += count
            }
            if period == november { inMonth = written }
        }
        return inMonth
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench books] \(text)\n".utf8))
    }
}
