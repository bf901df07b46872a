import HubStore

/// The core store's reads the tests ask for, each in one call.
extension CoreStore {
    func wasApplied(_ eventId: String) async throws -> Bool {
        try await read { reader throws(StoreError) in try reader.coreProgress.wasApplied(eventId) }
    }

    /// Which of `eventIds` were applied.
    func applied(_ eventIds: [String]) async throws -> [String] {
        try await read { reader throws(StoreError) in
            var applied: [String] = []
            for id in eventIds where try reader.coreProgress.wasApplied(id) { applied.append(id) }
            return applied
        }
    }

    func offsetGaps(group: String, topics: Set<String>, seenBy: Int64) async throws -> [OffsetGap] {
        try await read { reader throws(StoreError) in try reader.coreProgress.offsetGaps(group: group, topics: topics, seenBy: seenBy) }
    }

    func storedOffsets(group: String, topic: String) async throws -> [Int32: Int64] {
        try await read { reader throws(StoreError) in try reader.coreProgress.storedOffsets(group: group, topic: topic) }
    }

    func heldEvents(subject: String? = nil) async throws -> [HeldEvent] {
        try await read { reader throws(StoreError) in try reader.coreProgress.heldEvents(subject: subject) }
    }
}
