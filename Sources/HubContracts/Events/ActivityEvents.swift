/// What a sales rep or a manager did, or plans to do, with a dealer (the study's sales management).
public struct ActivityKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let visit = ActivityKind(rawValue: "visit")
    public static let call = ActivityKind(rawValue: "call")
    public static let meeting = ActivityKind(rawValue: "meeting")
    public static let training = ActivityKind(rawValue: "training")
    public static let complaintFollowUp = ActivityKind(rawValue: "complaint-follow-up")
    public static let collection = ActivityKind(rawValue: "collection")
    /// Written by the hub, not by a person: a follow-up of a dealer the hub found at risk.
    public static let followUp = ActivityKind(rawValue: "follow-up")
    public static let known: [ActivityKind] = [.visit, .call, .meeting, .training, .complaintFollowUp, .collection, .followUp]
}

/// Where an activity stands: planned (this week's visits), done (what happened), or cancelled.
public struct ActivityStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let planned = ActivityStatus(rawValue: "planned")
    public static let done = ActivityStatus(rawValue: "done")
    public static let cancelled = ActivityStatus(rawValue: "cancelled")
    public static let known: [ActivityStatus] = [.planned, .done, .cancelled]
}

/// `activity.recorded` on `hub.activities`: an activity as it now stands — planned, done or
/// cancelled. The same activity again with a higher `version` replaces it (a plan carried out, an
/// outcome added); a lower or equal one changes nothing. Staff notes: a dealer never sees them.
public struct ActivityRecorded: Sendable, Hashable, Codable {
    /// Where it happened: a phone's position, optionally named.
    public struct Place: Sendable, Hashable, Codable {
        public var lat: Double
        public var lon: Double
        public var name: String?

        public init(lat: Double, lon: Double, name: String? = nil) {
            self.lat = lat
            self.lon = lon
            self.name = name
        }
    }

    /// What is to be done next, and by when (China date).
    public struct NextStep: Sendable, Hashable, Codable {
        public var action: String
        public var due: CalendarDate

        public init(action: String, due: CalendarDate) {
            self.action = action
            self.due = due
        }
    }

    public var activityId: String
    /// 1 when first recorded; one more with every change.
    public var version: Int
    public var dealerId: String
    /// The user whose activity it is (a sales rep's, a manager's).
    public var ownerId: String
    public var kind: ActivityKind
    public var status: ActivityStatus
    /// When it is planned for.
    public var plannedFor: Timestamp?
    /// When it was done.
    public var doneAt: Timestamp?
    public var place: Place?
    public var notes: String?
    public var outcome: String?
    public var nextStep: NextStep?
    /// Who wrote this version (the owner, or `hub` for a follow-up the hub raised).
    public var recordedBy: String

    public init(activityId: String, version: Int, dealerId: String, ownerId: String, kind: ActivityKind, status: ActivityStatus, plannedFor: Timestamp? = nil,
                doneAt: Timestamp? = nil, place: Place? = nil, notes: String? = nil, outcome: String? = nil, nextStep: NextStep? = nil, recordedBy: String) {
        self.activityId = activityId
        self.version = version
        self.dealerId = dealerId
        self.ownerId = ownerId
        self.kind = kind
        self.status = status
        self.plannedFor = plannedFor
        self.doneAt = doneAt
        self.place = place
        self.notes = notes
        self.outcome = outcome
        self.nextStep = nextStep
        self.recordedBy = recordedBy
    }
}
