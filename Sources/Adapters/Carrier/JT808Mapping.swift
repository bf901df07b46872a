import WireFormats
import Foundation

/// The carrier adapter's JT/T 808 path: raw terminal frames on `carrier.in.jt808` to canonical
/// positions on `hub.vehicles.positions`. Location reports (0x0200) give one fix, batch uploads
/// (0x0704) several, also when the terminal sent the message in several packages (reassembled);
/// other message ids (registration, heartbeat, authentication …) are counted and skipped; a frame
/// with a bad check code, truncated, or from a terminal no vehicle is registered to is dead-lettered
/// with the reason.
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

    /// How long the packages of one message may take to arrive, by the messages' timestamps, and
    /// how many offsets of the partition they may span; then the ones that came are dead-lettered.
    public static let packageWindowMilliseconds: Int64 = 120_000
    public static let packageWindowOffsets: Int64 = 50_000
    /// The most packages one message may have (a batch upload of a terminal's stored fixes fits in
    /// far fewer), what one terminal may have held, and what may be held in all: a terminal that
    /// sends first packages and never the rest cannot grow the adapter's memory without bound.
    public static let maximumPackagesPerMessage = 64
    public static let maximumHeldPerTerminal = PendingInputs.Held(parts: 128, bytes: 256 << 10)
    public static let maximumHeld = PendingInputs.Held(parts: 20_000, bytes: 32 << 20)

    /// One message on its own: a package of a longer message cannot be completed here and is skipped.
    public func map(_ record: RawRecord) -> MappingResult {
        var pending = PendingInputs()
        return map(record, pending: &pending)
    }

    /// A location message sent in several packages (body properties bit 13: total and number in the
    /// header, consecutive serial numbers) is held until all its packages are in, then decoded from
    /// the bodies joined in package order; its fixes take the ids of the package that completed it.
    public func map(_ record: RawRecord, pending: inout PendingInputs) -> MappingResult {
        var result = MappingResult()
        for (group, parts) in pending.expire(at: record, maximumAgeMilliseconds: Self.packageWindowMilliseconds, maximumDistance: Self.packageWindowOffsets) {
            let missing = Self.missing(in: parts, total: Self.total(of: group))
            for (number, part) in parts.sorted(by: { $0.key < $1.key }) {
                result.rejections.append(MappingRejection(
                    "JT/T 808 package \(number) of message \(group): packages \(missing) never came within \(Self.packageWindowMilliseconds / 1000) s", heldInput: part))
            }
        }
        let mapped = mapOne(record, pending: &pending)
        result.events = mapped.events
        result.rejections += mapped.rejections
        result.skipped = mapped.skipped
        return result
    }

    private func mapOne(_ record: RawRecord, pending: inout PendingInputs) -> MappingResult {
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
        // The terminal is checked before anything of it is held.
        guard let registration = registry.registration(forTerminal: frame.terminal) else {
            return .rejected("terminal \(frame.terminal) is not registered to a vehicle (no vehicle.registered for it)")
        }
        var body = frame.body
        if let part = frame.subPackage, part.total > 1 {
            guard Int(part.total) <= Self.maximumPackagesPerMessage else {
                return .rejected("JT/T 808 message in \(part.total) packages: at most \(Self.maximumPackagesPerMessage) are taken")
            }
            let size = value.count
            let terminalHeld = pending.held(by: frame.terminal)
            guard terminalHeld.parts < Self.maximumHeldPerTerminal.parts, terminalHeld.bytes + size <= Self.maximumHeldPerTerminal.bytes else {
                return .rejected("terminal \(frame.terminal) has \(terminalHeld.parts) packages (\(terminalHeld.bytes) bytes) of unfinished messages held already: at most \(Self.maximumHeldPerTerminal.parts) (\(Self.maximumHeldPerTerminal.bytes) bytes)")
            }
            guard pending.total.parts < Self.maximumHeld.parts, pending.total.bytes + size <= Self.maximumHeld.bytes else {
                return .rejected("the adapter holds \(pending.total.parts) packages (\(pending.total.bytes) bytes) of unfinished messages already: at most \(Self.maximumHeld.parts) (\(Self.maximumHeld.bytes) bytes)")
            }
            // Packages of one message carry consecutive serials: the first one's names the message.
            let first = frame.serial &- (part.index - 1)
            let group = "\(frame.terminal)/\(String(frame.messageId, radix: 16))/\(first)/\(part.total)"
            let parts = pending.hold(record, group: group, part: Int(part.index), owner: frame.terminal)
            guard parts.count == Int(part.total) else {
                return .skip("package \(part.index) of \(part.total) held until the message is complete")
            }
            pending.release(group)
            body = []
            for number in 1...Int(part.total) {
                guard let bytes = parts[number]?.value, let packaged = try? JT808Frame.decode(bytes) else {
                    return .rejected("JT/T 808 message \(group): package \(number) cannot be read again")
                }
                body += packaged.body
            }
        }
        let fixes: [JT808Location]
        do {
            fixes = frame.messageId == JT808Location.locationReport ? [try JT808Location.decode(body)] : try JT808Location.decodeBatch(body)
        } catch {
            return .rejected("JT/T 808 message 0x\(String(frame.messageId, radix: 16)): \(error.description)")
        }
        return MappingResult(events: fixes.enumerated().map { index, fix in
            let id = record.eventId(index)
            return MappedEvent(topic: outputTopic, key: registration.vehicle, id: id,
                               value: writer.write(id: id, vehicleId: registration.vehicle, fix: fix, carrierId: registration.carrier))
        })
    }

    static func total(of group: String) -> Int { group.split(separator: "/").last.flatMap { Int($0) } ?? 0 }

    static func missing(in parts: [Int: RawRecord], total: Int) -> String {
        total < 1 ? "?" : (1...total).filter { parts[$0] == nil }.map(String.init).joined(separator: ", ")
    }
}
