import CoreMetrics
import Foundation
import HubServer
import Logging
import Testing

@Suite("metrics export")
struct MetricsExportTests {
    @Test("the file holds the registry's Prometheus text, replaced whole on each write")
    func fileWriter() throws {
        let export = PrometheusExport()
        let counter = Counter(label: "lubehub_test_things_total", dimensions: [("kind", "中文")], factory: export.factory)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lubehub-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hub.prom").path
        let writer = MetricsFileWriter(export: export, path: path, interval: .seconds(1), logger: Logger(label: "test"))
        counter.increment(by: 3)
        writer.write()
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(#"lubehub_test_things_total{kind="中文"} 3"#))
        counter.increment()
        writer.write()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#"lubehub_test_things_total{kind="中文"} 4"#) && !text.contains("} 3"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["hub.prom"], "no temporary file left behind")
    }
}
