import ArgumentParser
import Foundation
import HubCommandLine
import HubCore
import HubStore

/// `lubehub analytics rebuild`: the figures added up again from the stored facts and compared with
/// what the core kept event by event (they must be identical), then written in their place.
struct AnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "The figures (R4, R8) the core keeps.",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every figure from the stored orders, shipments and contracts, report any row that differs from the kept one, and write them.",
            discussion: """
                One transaction: a running core waits while it writes (on SQLite, a write transaction holds the database). \
                Exits with status 1 when a kept figure differed (after writing the rebuilt ones, unless --check).
                """
        )

        @OptionGroup var options: ConfigurationOptions
        @Flag(help: "Compare only; leave the kept figures as they are.") var check = false
        @Option(help: "How many differing rows to print.") var show = 20

        func run() async throws {
            let configuration = try options.load()
            let location = DatabaseLocation(parsing: configuration.core.database)
            let store = try CoreStore(location)
            let started = ContinuousClock.now
            say("analytics rebuild: reading the facts in \(location)")
            let report = try await AnalyticsRebuild.run(store, checkOnly: check) { read in
                if read % 100_000 < 5_000 { say("  \(read) orders read") }
            }
            let took = ContinuousClock.now - started
            say("analytics rebuild: \(report.orders) orders, \(report.rows) rows of figures, \(report.differences.count) differing from the kept ones, "
                + "\(report.written ? "written" : "not written (--check)") in \(took.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
            for difference in report.differences.prefix(show) { say("  differs: \(difference)") }
            if report.differences.count > show { say("  … and \(report.differences.count - show) more") }
            if !report.differences.isEmpty { throw ExitCode(1) }
        }
    }
}
