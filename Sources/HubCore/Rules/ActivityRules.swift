import HubContracts
import HubStore

/// Sales reps' and managers' activities: each kept at its newest version (a version not above the
/// one held changes nothing), and audited (`activity:<id>`) in the same transaction — what the API
/// waits for before it answers.
enum ActivityRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        guard case .activityRecorded(let activity) = context.event.data else { return .notHandled }
        guard try context.tables.masterData.dealer(activity.dealerId) != nil else { return .unknownReference("dealer \(activity.dealerId)") }
        let activities = context.tables.activities
        let held = try activities.version(of: activity.activityId)
        if let held, held >= activity.version { return .applied }
        let created = held == nil
        try activities.upsert(activity, at: context.now)
        var fields = ["version": String(activity.version), "dealerId": activity.dealerId, "owner": activity.ownerId, "kind": activity.kind.rawValue,
                      "status": activity.status.rawValue]
        fields["plannedFor"] = activity.plannedFor?.text
        fields["doneAt"] = activity.doneAt?.text
        try context.tables.audit.record(ChangeActor(id: activity.recordedBy, source: context.event.source, traceParent: context.trace),
                                        action: created ? "activity.created" : "activity.changed", kind: "activity", id: activity.activityId,
                                        before: nil, after: fields, at: context.now, topic: context.topics.audit)
        return .applied
    }
}
