public import HubContracts
import Foundation

/// Sales reps' and managers' activities as the core writes them: the newest version of each.
public struct ActivityTable {
    let db: any SQLDatabase

    /// The version held of an activity; nil when it is not known.
    public func version(of activityId: String) throws(StoreError) -> Int? {
        try db.first("SELECT version FROM activities WHERE activity_id = ?", .text(activityId)).map { Int($0.int64(0)) }
    }

    /// Keeps `activity` as the activity now stands (the caller checked its version is newer).
    public func upsert(_ activity: ActivityRecorded, at now: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO activities (activity_id, version, dealer_id, owner_id, kind, status, planned_for, planned_for_ms, done_at, done_at_ms, lat, lon, place_name,
                                    notes, outcome, next_action, next_due, recorded_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (activity_id) DO UPDATE SET version = excluded.version, dealer_id = excluded.dealer_id, owner_id = excluded.owner_id,
                kind = excluded.kind, status = excluded.status, planned_for = excluded.planned_for, planned_for_ms = excluded.planned_for_ms,
                done_at = excluded.done_at, done_at_ms = excluded.done_at_ms, lat = excluded.lat, lon = excluded.lon, place_name = excluded.place_name,
                notes = excluded.notes, outcome = excluded.outcome, next_action = excluded.next_action, next_due = excluded.next_due,
                recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
            """, .text(activity.activityId), .integer(Int64(activity.version)), .text(activity.dealerId), .text(activity.ownerId), .text(activity.kind.rawValue),
            .text(activity.status.rawValue), SQLValue(activity.plannedFor?.text), SQLValue(activity.plannedFor?.milliseconds), SQLValue(activity.doneAt?.text),
            SQLValue(activity.doneAt?.milliseconds), activity.place.map { SQLValue($0.lat) } ?? .null, activity.place.map { SQLValue($0.lon) } ?? .null,
            SQLValue(activity.place?.name), SQLValue(activity.notes), SQLValue(activity.outcome), SQLValue(activity.nextStep?.action),
            SQLValue(activity.nextStep?.due.text), .text(activity.recordedBy), .text(now.text))
    }
}
