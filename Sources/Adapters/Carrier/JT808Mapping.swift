import Foundation

/// The carrier adapter's JT/T 808 path: raw terminal frames on `carrier.in.jt808` to canonical
/// positions on `hub.vehicles.positions`. Location reports (0x0200) give one fix, batch uploads
/// (0x0704) several; other message ids (registration, heartbeat, authentication …) are counted and
/// skipped; a frame with a bad check code, truncated, or from a terminal no vehicle is registered
/// to is dead-lettered with the reason.
public struct JT808Mapping: AdapterMapping {
    public let name = "carrier-jt808"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    public let outputTopic: String
    public let registry: TerminalRegistry
    private let writer = PositionEventWriter()

    public init(registry: TerminalRegistry, topics: CarrierTopics = CarrierTopics()) {
        self.registry = registry
        self.inputTopics = [topics.jt808]
        self.outputTopic = topics.positions
        self.deadLetterTopic = topics.deadLetters
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message: one JT/T 808 frame is expected") }
        let frame: JT808Frame
        do {
            frame = try JT808Frame.decode(value)
        } catch {
            return .rejected("JT/T 808 frame: \(error.description)")
        }
        guard frame.messageId == JT808Location.locationReport || frame.messageId == JT808Location.batchUpload else {
            return .skip("message 0x\(String(frame.messageId, radix: 16, uppercase: true)) is not a location message")
        }
        guard frame.encryption == 0 else { return .rejected("JT/T 808 message 0x\(String(frame.messageId, radix: 16)): the body is encrypted (RSA); the hub cannot read it") }
        if let part = frame.subPackage, part.total > 1 {
            return .rejected("JT/T 808 message 0x\(String(frame.messageId, radix: 16)) is package \(part.index) of \(part.total); location messages fit one frame and are not reassembled")
        }
        guard let vehicle = registry.vehicle(forTerminal: frame.terminal) else {
            return .rejected("terminal \(frame.terminal) is not registered to a vehicle (no vehicle.registered for it)")
        }
        let fixes: [JT808Location]
        do {
            fixes = frame.messageId == JT808Location.locationReport ? [try JT808Location.decode(frame.body)] : try JT808Location.decodeBatch(frame.body)
        } catch {
            return .rejected("JT/T 808 message 0x\(String(frame.messageId, radix: 16)): \(error.description)")
        }
        return MappingResult(events: fixes.enumerated().map { index, fix in
            let id = record.eventId(index)
            return MappedEvent(topic: outputTopic, key: vehicle, id: id, value: writer.write(id: id, vehicleId: vehicle, fix: fix))
        })
    }
}
