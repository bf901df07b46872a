import HubContracts
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

    struct Stop: Sendable {
        var reason: String
        var stage: DeadLetter.Stage
    }

    var consumed = 0
    var applied = 0
    var duplicates = 0
    var released = 0
    var held: [Held] = []
    var stop: Stop?

    /// Applies `messages` in order inside `batch`'s transaction, up to the first one that must be
    /// dead-lettered or until `budget` has passed (at least one is taken: the transaction holds
    /// the database's write lock, which the core's other consumer waits for). After each applied
    /// event the events held for its subject are tried again in the same transaction, so they
    /// apply before the events behind them, as one by one would.
    static func apply(_ messages: ArraySlice<KafkaConsumerMessage>, group: String, rules: CoreRules, heldAtMilliseconds: Int64,
                      budget: Duration, in batch: CoreBatch) throws(StoreError) -> IngestStep {
        var step = IngestStep()
        let deadline = ContinuousClock.now + budget
        for message in messages {
            if step.consumed > 0 && ContinuousClock.now >= deadline { break }
            let source = EventSource(group: group, topic: message.topic, partition: message.partition, offset: message.offset)
            guard let value = message.value else {
                step.stop = Stop(reason: "empty value: a canonical event is required", stage: .decode)
                return step
            }
            let event: CanonicalEvent
            do {
                event = try CanonicalEvent.decode(value)
            } catch {
                step.stop = Stop(reason: error.description, stage: .decode)
                return step
            }
            switch try batch.apply(eventId: event.id, source: source, rule: { db throws(StoreError) in try rules.apply(event, source: source, in: db) }) {
            case .applied:
                step.applied += 1
                step.released += try releaseHeld(subject: event.subject, group: group, rules: rules, in: batch)
            case .duplicate:
                step.duplicates += 1
            case .notHandled:
                step.stop = Stop(reason: "\(event.type) is not an event the core applies; it does not belong on \(message.topic)", stage: .validate)
                return step
            case .refused(let reason):
                step.stop = Stop(reason: reason, stage: .apply)
                return step
            case .unknownReference(let reference):
                try batch.hold(HeldEvent(eventId: event.id, topic: message.topic, partition: message.partition, offset: message.offset,
                                         subject: event.subject, key: message.key, value: value, reason: "unknown \(reference)",
                                         heldAtMilliseconds: heldAtMilliseconds), group: group)
                step.held.append(Held(eventId: event.id, reference: reference))
            }
            step.consumed += 1
        }
        return step
    }

    /// Applies the held events of `subject` that can apply now, going round until nothing moves
    /// (releasing one may let another apply); how many applied. Those that still cannot, or that
    /// must be dead-lettered, stay held for ``EventIngest``'s periodic pass.
    static func releaseHeld(subject: String, group: String, rules: CoreRules, in batch: CoreBatch) throws(StoreError) -> Int {
        var released = 0
        var progressed = true
        while progressed {
            progressed = false
            for held in try batch.heldEvents(subject: subject) {
                guard let event = try? CanonicalEvent.decode(held.value) else { continue }
                let source = EventSource(group: group, topic: held.topic, partition: held.partition, offset: held.offset)
                switch try batch.apply(eventId: event.id, source: source, releasing: held.eventId, rule: { db throws(StoreError) in
                    try rules.apply(event, source: source, in: db)
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
