public import ArgumentParser
import Foundation

/// A duration on the command line: `120s`, `2m`, `1h`, `500ms`, or plain seconds.
public struct DurationArgument: ExpressibleByArgument, Sendable {
    public var value: Duration
    public var text: String

    public init(_ value: Duration) {
        self.value = value
        text = "\(Int(value / .seconds(1))) s"
    }

    public init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        let unit = units.first { trimmed.hasSuffix($0.0) && Double(trimmed.dropLast($0.0.count)) != nil }
        guard let number = Double(unit.map { String(trimmed.dropLast($0.0.count)) } ?? trimmed), number >= 0, number <= 30 * 86_400 else { return nil }
        value = .milliseconds(Int64(number * (unit?.1 ?? 1) * 1000))
        text = argument
    }
}
