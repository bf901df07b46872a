public import HubContracts

/// A mapping whose canonical output is checked against the topic catalogue before it leaves the
/// adapter: an event its topic's schema refuses (an identifier with a character ids may not carry,
/// a VIN of the wrong length …) is not published; the input is dead-lettered saying which output
/// and which field. However broken the input, nothing invalid gets past an adapter.
public struct CheckedMapping: AdapterMapping {
    public let base: any AdapterMapping
    private let catalogue: TopicCatalogue

    public init(_ base: any AdapterMapping, catalogue: TopicCatalogue) {
        self.base = base
        self.catalogue = catalogue
    }

    public var name: String { base.name }
    public var inputTopics: [String] { base.inputTopics }
    public var deadLetterTopic: String { base.deadLetterTopic }

    public func map(_ record: RawRecord) -> MappingResult {
        var pending = PendingInputs()
        return map(record, pending: &pending)
    }

    public func map(_ record: RawRecord, pending: inout PendingInputs) -> MappingResult {
        var result = base.map(record, pending: &pending)
        var refused: [String] = []
        result.events.removeAll { event in
            guard case .invalid(let issues) = catalogue.validate(topic: event.topic, value: event.value) else { return false }
            refused.append("output \(event.id) on \(event.topic) is not valid: \(issues.map(\.description).joined(separator: "; "))")
            return true
        }
        if !refused.isEmpty { result.rejections.append(MappingRejection(refused.joined(separator: " | "))) }
        return result
    }
}
