import Crypto
public import HubContracts

/// How the API names the commands it publishes. An event id stands for one event: the same id must
/// never carry different bytes. A request sent again (the client's retry after a lost answer, or
/// the same click twice) is sent at another moment, so its command differs at least in
/// `occurredAt`; it is therefore another event under another id. The core recognises the repeat
/// by what the command names, not by its id: a second submit of an order already decided stands
/// as the first, a second receipt or rating of an order already past it is ignored, a second note
/// for a delivered tier-2 order changes nothing.
public enum CommandIdentity {
    /// The command `data` about `entity` (an order, a delivery note), named
    /// `api:<kind>:<entity>:<digest>`: the digest is the first 8 bytes (16 hex digits) of the
    /// SHA-256 of the event written under the id without it.
    public static func event(kind: String, entity: String, occurredAt: Timestamp, subject: String, data: EventData) throws(APIProblem) -> CanonicalEvent {
        let stem = "api:\(kind):\(entity)"
        var event = CanonicalEvent(id: stem, source: "api", occurredAt: occurredAt, subject: subject, data: data)
        let bytes: [UInt8]
        do {
            bytes = try event.encoded()
        } catch {
            throw APIProblem.unprocessable("the command could not be written: \(error)")
        }
        let digest = SHA256.hash(data: bytes).prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        event.id = "\(stem):\(digest)"
        return event
    }
}
