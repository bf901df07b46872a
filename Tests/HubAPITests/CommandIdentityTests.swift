import Foundation
import HubAPI
import HubContracts
import Testing

@Suite("API command ids")
struct CommandIdentityTests {
    let receipt = OrderReceipt(orderId: "O-7Q3K9ZP2", receivedAt: Timestamp(parsing: "2026-11-29T02:15:00Z")!, receivedBy: "U-D1")

    func command(at time: String, _ data: OrderReceipt) throws -> CanonicalEvent {
        try CommandIdentity.event(kind: "confirm-receipt", entity: data.orderId, occurredAt: Timestamp(parsing: time)!, subject: data.orderId,
                                  data: .orderConfirmReceipt(data))
    }

    @Test("the same command always has the same id; a request sent again at another moment is another event under another id")
    func oneIdOneEvent() throws {
        let first = try command(at: "2026-11-29T02:15:00.120Z", receipt)
        let same = try command(at: "2026-11-29T02:15:00.120Z", receipt)
        let retried = try command(at: "2026-11-29T02:15:03.450Z", receipt)
        var other = receipt
        other.receivedBy = "U-D2"
        let changed = try command(at: "2026-11-29T02:15:00.120Z", other)
        let firstBytes = try first.encoded(), sameBytes = try same.encoded()
        #expect(first.id == same.id && firstBytes == sameBytes)
        #expect(first.id != retried.id && first.id != changed.id && retried.id != changed.id)
        #expect(first.id.hasPrefix("api:confirm-receipt:O-7Q3K9ZP2:"))
        #expect(first.id.wholeMatch(of: /api:confirm-receipt:O-7Q3K9ZP2:[0-9a-f]{16}/) != nil, "\(first.id)")
    }

    @Test("the ids fit the catalogue's envelope (at most 128 characters) for the longest command names")
    func fitsTheEnvelope() throws {
        let longest = try CommandIdentity.event(kind: "confirm-receipt", entity: "O-" + String(repeating: "Z", count: 16),
                                                occurredAt: receipt.receivedAt, subject: receipt.orderId, data: .orderConfirmReceipt(receipt))
        // The core names what it announces after the command's id: `<id>.order.cancelled` and the like.
        #expect("\(longest.id).order.cancelled".count <= 128, "\(longest.id)")
    }
}
