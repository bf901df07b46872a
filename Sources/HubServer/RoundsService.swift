import Foundation
import HubContracts
import HubCore
import HubStore
import Logging
import ServiceLifecycle
import Synchronization

/// FNV-1a of `row`'s JSON (sorted keys): the same in every process, unlike `hashValue` — how the
/// publishers of compacted topics tell a changed row from one they already sent.
func stableDigest(_ row: some Encodable) -> UInt64 {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = (try? encoder.encode(row)) ?? Data()
    return bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}

/// A publisher's rows on a compacted topic, sent only when they changed: what each key last carried
/// (its digest), and the writing of the changed ones through the core's outbox, 2,000 a transaction.
final class ChangedRows: Sendable {
    private let published = Mutex<[String: UInt64]>([:])

    /// Writes the rows of `rows` whose data changed since this process last sent them (all once
    /// after a start: compaction keeps the latest anyway) as `event(key, data, digest)` on `topic`,
    /// keyed by their key; how many.
    func publish<Row: Encodable>(_ rows: [(key: String, data: Row)], topic: String, store: CoreStore, now: Date,
                                 event: (String, Row, UInt64) -> (id: String, data: EventData)) async throws -> Int {
        let digests = rows.map { (key: $0.key, digest: stableDigest($0.data)) }
        let fresh = published.withLock { last in Set(digests.indices.filter { last[digests[$0].key] != digests[$0].digest }) }
        let changed = rows.indices.filter(fresh.contains).map { (rows[$0], digests[$0].digest) }
        guard !changed.isEmpty else { return 0 }
        let stamp = Timestamp(now)
        var outbox: [OutboxRow] = []
        for (row, digest) in changed {
            let (id, data) = event(row.key, row.data, digest)
            let message = CanonicalEvent(id: id, source: CoreRules.producerName, occurredAt: stamp, subject: row.key, data: data)
            outbox.append(OutboxRow(topic: topic, key: row.key, eventId: id, value: try message.encoded()))
        }
        for start in stride(from: 0, to: outbox.count, by: 2_000) {
            let chunk = Array(outbox[start..<min(outbox.count, start + 2_000)])
            try await store.transaction { tables throws(StoreError) in try tables.outbox.append(chunk) }
        }
        published.withLock { last in for (row, digest) in changed { last[row.key] = digest } }
        return changed.count
    }
}
