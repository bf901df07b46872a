import Foundation
import HubContracts

/// The repository's real topic catalogue, loaded once for the tests.
enum CatalogueFixture {
    /// `topics/` of the repository this file is in (`Tests/HubContractsTests/` below its root).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("topics")

    static let catalogue: TopicCatalogue = {
        do {
            return try TopicCatalogue.load(directory: directory)
        } catch {
            fatalError("the topic catalogue in \(directory.path) does not load: \(error)")
        }
    }()

    /// The first example of a topic, as a mutable JSON value.
    static func example(_ topic: String, _ index: Int = 0) -> JSONValue {
        catalogue[topic]!.examples[index].value!
    }
}

extension JSONValue {
    /// A copy with the value at `path` (keys and array indexes) replaced, or removed when `nil`.
    func setting(_ path: [Any], to newValue: JSONValue?) -> JSONValue {
        guard let head = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, head) {
        case (.object(var members), let key as String):
            if rest.isEmpty, newValue == nil {
                members[key] = nil
            } else {
                members[key] = (members[key] ?? .null).setting(rest, to: newValue)
            }
            return .object(members)
        case (.array(var items), let index as Int):
            items[index] = items[index].setting(rest, to: newValue)
            return .array(items)
        default:
            return self
        }
    }
}
