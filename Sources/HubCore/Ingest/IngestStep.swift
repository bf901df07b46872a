import HubContracts
import HubMessaging
import HubStore
import Kafka

/// What one transaction of ``EventIngest`` did with a run of consumed messages: the first
/// `consumed` were applied, found to be repeats, or held (each with its offset recorded); when
/// `stop` is set, the message right after them must be dead-lettered before anything after it
/// commits (its offset is not recorded: a crash before the dead letter reads it again).
struct IngestStep: Sendable {
    struct Held: Sendable {
        var eventId: String
        var reference: String
    }

    struct Stop: Error, Sendable {
        var reason: String
        var stage: DeadLetter.Stage
    }

    /// A consumed message with its event read (or why it could not be) and the span of the
    /// core's work on it (in the message's trace): read before the transaction, which holds the
    /// database's write lock, so that reading costs no one a wait.
    struct Received: Sendable {
        var message: KafkaConsumerMessage
        var event: Result<CanonicalEvent, Stop>
        var trace: TraceParent
    }

    static func read(_ messages: [KafkaConsumerMessage]) -> [Received] {
        messages.map { message in
            let trace = MessageTrace.span(for: message.headers)
            guard let value = message.value else {
                return Received(message: message, event: .failure(Stop(reason: "empty value: a canonical event is required", stage: .decode)), trace: trace)
            }
            do throws(CanonicalEventError) {
                return Received(message: message, event: .success(try CanonicalEvent.decode(value)), trace: trace)
            } catch {
                return Received(message: message, event: .failure(Stop(reason: error.description, stage: .decode)), trace: trace)
            }
        }
    }

    var consumed = 0
    var applied = 0
    var duplicates = 0
    var released = 0
    var held: [Held] = []
    var stop: Stop?

    /// Applies `messages` in order inside `tables`' transaction, up to the first one that must be
    /// dead-lettered or until `budget` has passed — or, when `yielding`, until another caller
    /// waits for the store's connection (at least one is taken: the transaction holds the
    /// database's write lock, which the core's other consumer waits for). After each applied
    /// event the events held for its subject are tried again in the same transaction, so they
    /// apply before the events behind them, as one by one would.
    static func apply(_ messages: ArraySlice<Received>, group: String, rules: CoreRules, heldAtMilliseconds: Int64,
                      budget: Duration, yielding: Bool = false, in tables: CoreTransaction) throws(StoreError) -> IngestStep {
        var step = IngestStep()
        let deadline = ContinuousClock.now + budget
        for received in messages {
            if step.consumed > 0 && (ContinuousClock.now >= deadline || (yielding && tables.othersWaiting)) { break }
            let message = received.message
            let source = EventSource(group: group, topic: message.topic, partition: message.partition, offset: message.offset)
            let event: CanonicalEvent
            switch received.event {
            case .success(let read): event = read
            case .failure(let stop):
                step.stop = stop
                return step
            }
            let trace = received.trace.description
            switch try tables.apply(eventId: event.id, source: source, rule: { tables throws(StoreError) in
                try rules.apply(event, source: source, trace: trace, in: tables)
            }) {
            case .applied:
                step.applied += 1
                step.released += try releaseHeld(subject: event.subject, group: group, rules: rules, in: tables)
            case .duplicate:
                step.duplicates += 1
            case .notHandled:
                step.stop = Stop(reason: "\(event.type) is not an event the core applies; it does not belong on \(message.topic)", stage: .validate)
                return step
            case .refused(let reason):
                step.stop = Stop(reason: reason, stage: .apply)
                return step
            case .unknownReference(let reference):
                let value = message.value ?? []  // present: the event was read from it
                try tables.hold(HeldEvent(eventId: event.id, topic: message.topic, partition: message.partition, offset: message.offset,
                                          subject: event.subject, key: message.key, value: value, reason: "unknown \(reference)",
                                          heldAtMilliseconds: heldAtMilliseconds, traceParent: trace), group: group)
                step.held.append(Held(eventId: event.id, reference: reference))
            }
            step.consumed += 1
        }
        return step
    }

    /// Applies the held events of `subject` that can apply now, going round until nothing moves
    /// (releasing one may let another apply); how many applied. Those that still cannot, or that
    /// must be dead-lettered, stay held for ``EventIngest``'s periodic pass.
    static func releaseHeld(subject: String, group: String, rules: CoreRules, in tables: CoreTransaction) throws(StoreError) -> Int {
        var released = 0
        var progressed = true
        while progressed {
            progressed = false
            for held in try tables.heldEvents.all(subject: subject) {
                guard let event = try? CanonicalEvent.decode(held.value) else { continue }
                let source = EventSource(group: group, topic: held.topic, partition: held.partition, offset: held.offset)
                switch try tables.apply(eventId: event.id, source: source, releasing: held.eventId, rule: { tables throws(StoreError) in
                    try rules.apply(event, source: source, trace: held.traceParent, in: tables)
                }) {
                case .applied:
                    released += 1
                    progressed = true
                case .duplicate:
                    progressed = true
                case .notHandled, .refused, .unknownReference:
                    break
                }
            }
        }
        return released
    }
}
