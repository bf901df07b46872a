import WireFormats
import Foundation
public import HubContracts

/// The anti-counterfeit adapter: scan results of the query system (`anticounterfeit.in.scans`) to
/// `authenticity.scanned` on `hub.authenticity`. A code reported fake also raises
/// `authenticity.flagged` (reason counterfeit); a genuine code whose logistics record names the
/// dealer it was shipped to (`dealerCode`), scanned in a province outside that dealer's branch's
/// territory (``DealerDirectory``), raises it with reason cross-region (窜货).
public struct AntiCounterfeitMapping: AdapterMapping {
    public let name = "anticounterfeit"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    public let dealers: DealerDirectory
    private let catalogue: TopicCatalogue
    private let outputTopic: String

    public init(catalogue: TopicCatalogue, dealers: DealerDirectory = DealerDirectory(), inputTopic: String = TopicName.AntiCounterfeit.scans,
                outputTopic: String = TopicName.authenticity, deadLetterTopic: String = TopicName.AntiCounterfeit.deadLetters) {
        self.catalogue = catalogue
        self.dealers = dealers
        self.inputTopics = [inputTopic]
        self.outputTopic = outputTopic
        self.deadLetterTopic = deadLetterTopic
    }

    static let results: [String: ScanResult] = ["GENUINE": .genuine, "FAKE": .counterfeit, "NOT_FOUND": .unknownCode, "REPEATED": .alreadyScanned]

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message") }
        let json: JSONValue
        switch CatalogueJSON.read(value, topic: TopicName.AntiCounterfeit.scans, catalogue: catalogue) {
        case .success(let value): json = value
        case .failure(let problem): return .rejected(problem.reason)
        }
        guard let scanId = json["scanId"]?.stringValue, let code = json["code"]?.stringValue, let resultText = json["result"]?.stringValue,
              let result = Self.results[resultText], let province = json["province"]?.stringValue, let timeText = json["scanTime"]?.stringValue else {
            return .rejected("scanId, code, result, province and scanTime are required")
        }
        guard let scannedAt = CarrierTime.parse(timeText) else { return .rejected("scanTime \(timeText) is neither yyyy-MM-dd HH:mm:ss (UTC+8) nor RFC 3339") }
        let place = Region(province: province, city: json["city"]?.stringValue)
        var position: GeoPosition?
        if let lat = json["lat"]?.doubleValue, let lon = json["lon"]?.doubleValue { position = GeoPosition(lat: lat, lon: lon) }
        // The customer the logistics record shipped the code to: an SAP number or a hub dealer id.
        let soldTo = json["dealerCode"]?.stringValue.map { $0.first == "D" ? $0 : IDocValues.dealerId($0) }
        var events = [event(record, index: 0, key: code, occurredAt: scannedAt,
                            data: .authenticityScanned(AuthenticityScanned(scanId: scanId, code: code, materialId: json["materialCode"]?.stringValue, batch: json["batch"]?.stringValue,
                                                      result: result, place: place, position: position, scannedAt: scannedAt, soldToDealerId: soldTo)))]
        if result == .counterfeit {
            events.append(event(record, index: 1, key: code, occurredAt: scannedAt,
                                data: .authenticityFlagged(AuthenticityFlagged(code: code, scanId: scanId, reason: .counterfeit, scanRegion: place))))
        } else if result == .genuine, let soldTo, let territory = dealers.territory(of: soldTo), !territory.provinces.contains(province) {
            events.append(event(record, index: 1, key: code, occurredAt: scannedAt,
                                data: .authenticityFlagged(AuthenticityFlagged(code: code, scanId: scanId, reason: .crossRegion, dealerId: soldTo,
                                                          dealerRegion: territory.region, scanRegion: place))))
        }
        return MappingResult(events: events)
    }

    private func event(_ record: RawRecord, index: Int, key: String, occurredAt: Timestamp, data: EventData) -> MappedEvent {
        let id = record.eventId(index)
        let envelope = CanonicalEvent(id: id, source: "adapter-anticounterfeit", occurredAt: occurredAt, subject: key, data: data)
        return MappedEvent(topic: outputTopic, key: key, id: id, value: (try? envelope.encoded()) ?? [])
    }
}
