/// Inputs of one partition a mapping holds until later inputs complete them — the packages of a
/// JT/T 808 message sent in several frames. The worker keeps one per partition and never commits
/// the partition's offset past the oldest input held, so after a crash or a rebalance the held
/// inputs are read again and the state rebuilds itself from the log: nothing held is lost, and what
/// was already published is published again under the same ids.
public struct PendingInputs: Sendable {
    struct Group: Sendable {
        var firstOffset: Int64
        var firstTimestamp: Int64?
        var parts: [Int: RawRecord]
        var owner: String
        var bytes: Int { parts.values.reduce(0) { $0 + ($1.value?.count ?? 0) } }
    }

    /// What is held: parts and their bytes.
    public struct Held: Sendable, Equatable {
        public var parts = 0
        public var bytes = 0
    }

    private var groups: [String: Group] = [:]
    private var byOwner: [String: Held] = [:]
    /// What is held in all.
    public private(set) var total = Held()

    public init() {}

    public var isEmpty: Bool { groups.isEmpty }

    /// The offset of the oldest input held: the partition's offset may be committed up to here only.
    public var lowestOffset: Int64? { groups.values.map(\.firstOffset).min() }

    /// What `owner` (a terminal) holds.
    public func held(by owner: String) -> Held { byOwner[owner] ?? Held() }

    /// Holds `record` as part `part` of `group`, for `owner` (a repeat of a part replaces it);
    /// returns the parts held so far.
    public mutating func hold(_ record: RawRecord, group: String, part: Int, owner: String) -> [Int: RawRecord] {
        var entry = groups[group] ?? Group(firstOffset: record.offset, firstTimestamp: record.timestampMilliseconds, parts: [:], owner: owner)
        if let replaced = entry.parts[part] { count(-1, -(replaced.value?.count ?? 0), for: entry.owner) }
        entry.parts[part] = record
        count(1, record.value?.count ?? 0, for: entry.owner)
        entry.firstOffset = min(entry.firstOffset, record.offset)
        groups[group] = entry
        return entry.parts
    }

    /// Takes a group out (it is complete).
    public mutating func release(_ group: String) {
        guard let entry = groups.removeValue(forKey: group) else { return }
        count(-entry.parts.count, -entry.bytes, for: entry.owner)
    }

    private mutating func count(_ parts: Int, _ bytes: Int, for owner: String) {
        total.parts += parts
        total.bytes += bytes
        var held = byOwner[owner] ?? Held()
        held.parts += parts
        held.bytes += bytes
        byOwner[owner] = held.parts > 0 ? held : nil
    }

    /// Takes out the groups that waited too long for `record`'s position in the log — more than
    /// `maximumAge` by the records' timestamps, or more than `maximumDistance` offsets — so a
    /// message whose other parts never come does not pin the partition. Decided by the log alone, so
    /// a replay expires the same groups at the same records.
    public mutating func expire(at record: RawRecord, maximumAgeMilliseconds: Int64, maximumDistance: Int64) -> [(group: String, parts: [Int: RawRecord])] {
        let expired = groups.filter { _, group in
            if record.offset - group.firstOffset > maximumDistance { return true }
            if let now = record.timestampMilliseconds, let first = group.firstTimestamp { return now - first > maximumAgeMilliseconds }
            return false
        }
        for name in expired.keys { release(name) }
        return expired.map { ($0.key, $0.value.parts) }.sorted { $0.group < $1.group }
    }
}
