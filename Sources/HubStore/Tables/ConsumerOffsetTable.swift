/// A consumed message's place: where the next read of its partition starts once it is applied.
public struct ConsumedPosition: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var nextOffset: Int64

    public init(topic: String, partition: Int32, nextOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
    }
}

/// The consumed positions the core keeps in its own database, written in the same transaction as
/// what it applied; a stored offset never moves back.
public struct ConsumerOffsetTable {
    let db: any SQLDatabase

    public func record(_ consumed: [ConsumedPosition], group: String) throws(StoreError) {
        for position in consumed {
            try db.execute("""
                INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)
                ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset
                WHERE excluded.next_offset > consumer_offsets.next_offset
                """, .text(group), .text(position.topic), .integer(Int64(position.partition)), .integer(position.nextOffset))
        }
    }

    /// Where each partition's next read starts, as stored; partitions never seen are absent.
    public func stored(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for row in try db.query("SELECT partition, next_offset FROM consumer_offsets WHERE group_id = ? AND topic = ?", .text(group), .text(topic)) {
            result[Int32(row.int64(0))] = row.int64(1)
        }
        return result
    }
}
