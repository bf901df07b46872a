import Foundation
public import Logging

/// The long-running commands' logging: structured lines on standard error, at the level
/// `LUBEHUB_LOG_LEVEL` names (trace, debug, info — the default —, notice, warning, error,
/// critical). `debug` also lets librdkafka's own debug lines through, when its `debug` property
/// (kafka.properties in the configuration) asks for them.
public enum LogSetup {
    public static let environmentVariable = "LUBEHUB_LOG_LEVEL"

    public static func bootstrap() throws(ConfigurationError) {
        let level = try level(from: ProcessInfo.processInfo.environment[environmentVariable])
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    public static func level(from text: String?) throws(ConfigurationError) -> Logger.Level {
        guard let text, !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError("\(environmentVariable)=\(text) is not a log level: use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }
}
