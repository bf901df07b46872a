public import ArgumentParser
import Foundation
public import HubContracts

/// `--catalogue DIR`: where the topic catalogue is.
public struct CatalogueOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: "The topic catalogue directory (default: $LUBEHUB_TOPICS, else ./topics, else the repository's).")
    public var catalogue: String?

    public func load() throws -> TopicCatalogue {
        try TopicCatalogue.load(directory: catalogue.map { URL(fileURLWithPath: $0) } ?? TopicCatalogue.defaultDirectory())
    }
}
