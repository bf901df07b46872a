public import CoreMetrics
import Foundation
public import Logging
public import Prometheus
public import ServiceLifecycle

/// The hub's metrics in Prometheus' text format. `lubehub serve` installs one as the process's
/// swift-metrics backend; every part (adapters, core) records through swift-metrics and never
/// sees Prometheus.
public struct PrometheusExport: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// A swift-metrics factory recording into this export. Timers get buckets from 1 ms to 30 s:
    /// the stages of an order's way through the hub take a few milliseconds each when all is well
    /// (swift-prometheus' default starts at 5 ms) and seconds when the hub is saturated.
    public var factory: any MetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        return factory
    }

    static let durationBuckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000]
        .map { Duration.microseconds(Int64($0 * 1_000)) }

    /// Makes this export the process's metrics backend (once per process, as swift-metrics allows).
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    /// Every metric, in the Prometheus text exposition format.
    public func text() -> String { registry.emitToString() }
}

/// Writes the export to a file every `interval` and once more when the hub stops, replacing the
/// file atomically: the layout node_exporter's textfile collector (and a person with `cat`) reads.
/// The HTTP API serves the same text on `/metrics`.
public struct MetricsFileWriter: Service {
    public let export: PrometheusExport
    public let path: String
    public let interval: Duration
    private let logger: Logger

    public init(export: PrometheusExport, path: String, interval: Duration, logger: Logger) {
        self.export = export
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            write()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        write()
    }

    /// One snapshot, written beside the file and renamed over it.
    public func write() {
        let temporary = path + ".tmp"
        do {
            try Data(export.text().utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            logger.warning("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
