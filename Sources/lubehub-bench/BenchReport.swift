import Foundation
import Kafka

/// The one JSON shape every `lubehub bench … --json` prints (see docs/architecture.md, Benchmarks).
struct BenchReport {
    struct Figure {
        var value: Double
        var unit: String
    }

    var bench: String
    var config: [(String, String)] = []
    var results: [(String, Figure)] = []
    var ratios: [(String, Double)] = []

    mutating func ratio(_ numerator: String, _ denominator: String) {
        guard let top = results.first(where: { $0.0 == numerator })?.1.value,
              let bottom = results.first(where: { $0.0 == denominator })?.1.value, bottom > 0 else { return }
        ratios.append(("\(numerator)/\(denominator)", (top / bottom * 1000).rounded() / 1000))
    }

    /// One JSON object; keys keep the order they were added in.
    var json: String {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        let configText = config.map { "\(quoted($0.0)): \(Int64($0.1).map(String.init) ?? quoted($0.1))" }.joined(separator: ", ")
        let resultText = results.map { "\(quoted($0.0)): {\"value\": \(number($0.1.value)), \"unit\": \(quoted($0.1.unit))}" }.joined(separator: ", ")
        let ratioText = ratios.map { "\(quoted($0.0)): \(number($0.1))" }.joined(separator: ", ")
        return "{\"bench\": \(quoted(bench)), \"config\": {\(configText)}, \"results\": {\(resultText)}, \"ratios\": {\(ratioText)}}"
    }

    var table: String {
        var lines = ["bench \(bench)"]
        lines += config.map { "  \($0.0) = \($0.1)" }
        // Whole numbers as they are; a small fraction (2.5 ms/order) with one decimal.
        lines += results.map { name, figure in
            String(format: figure.value < 100 && figure.value != figure.value.rounded() ? "  %-28@ %14.1f %@" : "  %-28@ %14.0f %@",
                   name as NSString, figure.value, figure.unit as NSString)
        }
        lines += ratios.map { String(format: "  %-40@ %.3f", $0.0 as NSString, $0.1) }
        return lines.joined(separator: "\n")
    }
}

/// The ceiling every benchmark compares with: our consumer reading `messages` messages of `topic`
/// without processing them, timed from its first batch (the group join left out).
func plainConsumerRate(client: KafkaClientConfiguration, topic: String, group: String, messages: Int, maxBatchSize: Int,
                       isolation: KafkaConsumerConfiguration.IsolationLevel? = nil) async throws -> Double {
    var client = client
    client.properties["queued.min.messages"] = "1000000"
    let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: group, topics: [topic], sessionTimeout: .seconds(6),
                                                          autoOffsetReset: .earliest, isolationLevel: isolation, maxBatchSize: maxBatchSize))
    var received = 0
    var start: ContinuousClock.Instant?
    for try await batch in consumer.batches {
        if start == nil { start = .now }
        received += batch.count
        if received >= messages { break }
    }
    let elapsed = ContinuousClock.now - (start ?? .now)
    await consumer.close()
    return Double(received) / elapsed.seconds
}
