import CoreMetrics
import HubServer
import Testing

@Suite("histograms read back from the Prometheus text")
struct HistogramSnapshotTests {
    @Test("a timer's observations between two reads, and quantiles from its buckets")
    func betweenTwoReads() throws {
        let export = PrometheusExport()
        let timer = Timer(label: "lubehub_test_stage_seconds", dimensions: [("stage", "publish")], factory: export.factory)
        let other = Timer(label: "lubehub_test_stage_seconds", dimensions: [("stage", "checks")], factory: export.factory)
        for _ in 0..<50 { timer.recordMilliseconds(300) }  // before the first read: not counted
        let before = HistogramSnapshot(prometheusText: export.text())
        for _ in 0..<90 { timer.recordMilliseconds(3) }    // in (2.5 ms, 5 ms]
        for _ in 0..<10 { timer.recordMilliseconds(40) }   // in (25 ms, 50 ms]
        other.recordSeconds(60)                            // past the last finite bound
        let run = HistogramSnapshot(prometheusText: export.text()).since(before)

        let publish = HistogramSnapshot.Series("lubehub_test_stage_seconds", ["stage": "publish"])
        #expect(run.count(publish) == 100)
        // The median is the 50th of 90 observations in (2.5, 5]: 2.5 + 2.5 × 50/90.
        let median = try #require(run.quantile(0.5, of: publish))
        #expect(abs(median - (0.0025 + 0.0025 * 50 / 90)) < 1e-9)
        // p99 is the 9th of the 10 in (25, 50]: 25 + 25 × 9/10 ms.
        let p99 = try #require(run.quantile(0.99, of: publish))
        #expect(abs(p99 - 0.0475) < 1e-9)
        #expect(run.quantile(0.5, of: HistogramSnapshot.Series("lubehub_test_stage_seconds", ["stage": "checks"])) == 30,
                "an observation past the last finite bound reads as that bound")
        #expect(run.quantile(0.5, of: HistogramSnapshot.Series("lubehub_test_stage_seconds", ["stage": "decision"])) == nil)
    }

    @Test("labels with escapes; lines that are not buckets are skipped")
    func parsing() {
        let text = """
            # TYPE x_seconds histogram
            x_seconds_bucket{path="/a\\"b",le="0.5"} 2
            x_seconds_bucket{path="/a\\"b",le="+Inf"} 3
            x_seconds_sum{path="/a\\"b"} 1.2
            x_seconds_count{path="/a\\"b"} 3
            y_total{k="v"} 7
            broken_bucket{le="abc"} 1
            """
        let snapshot = HistogramSnapshot(prometheusText: text)
        #expect(snapshot.histograms == [HistogramSnapshot.Series("x_seconds", ["path": "/a\"b"]): [.init(upperBound: 0.5, count: 2), .init(upperBound: .infinity, count: 3)]])
    }
}
