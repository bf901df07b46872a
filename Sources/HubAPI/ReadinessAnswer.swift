import Foundation
import Logging
import Synchronization

/// `/ready`'s answer, asked of every check at most once per `maxAge`: a load balancer polling
/// every instance, or someone hammering the open route, costs the broker and the database one
/// round of questions a second or two, not one per request. Callers that arrive while a round is
/// under way wait for that round. What each failing check said is logged, not answered: the route
/// is open to anyone, and the details (addresses, database errors) are for operators.
final class ReadinessAnswer: Sendable {
    struct Result: Sendable, Equatable {
        /// Each check's name and its public state: "ok", or the check's `failingState`.
        var checks: [String: String]
        var ready: Bool { checks.values.allSatisfy { $0 == "ok" } }
    }

    private enum State {
        case none
        case asking(Task<Result, Never>)
        case answered(Result, at: ContinuousClock.Instant)
    }

    private let checks: [any ReadinessCheck]
    private let maxAge: Duration
    private let logger: Logger
    private let state = Mutex<State>(.none)

    init(checks: [any ReadinessCheck], maxAge: Duration = .milliseconds(1_500), logger: Logger = Logger(label: "lubehub.api.ready")) {
        self.checks = checks
        self.maxAge = maxAge
        self.logger = logger
    }

    func current() async -> Result {
        let now = ContinuousClock.now
        let task: Task<Result, Never> = state.withLock { state in
            switch state {
            case .answered(let result, let at) where now - at < maxAge:
                return Task { result }
            case .asking(let task):
                return task
            default:
                let task = Task { [checks, logger] in await Self.ask(checks, logger: logger) }
                state = .asking(task)
                return task
            }
        }
        let result = await task.value
        state.withLock { state in
            if case .asking = state { state = .answered(result, at: .now) }
        }
        return result
    }

    private static func ask(_ checks: [any ReadinessCheck], logger: Logger) async -> Result {
        var states: [String: String] = [:]
        await withTaskGroup(of: (any ReadinessCheck, String?).self) { group in
            for check in checks { group.addTask { (check, await check.problem()) } }
            for await (check, problem) in group {
                if let problem {
                    logger.warning("not ready", metadata: ["check": "\(check.name)", "problem": "\(problem)"])
                    states[check.name] = check.failingState
                } else {
                    states[check.name] = "ok"
                }
            }
        }
        return Result(checks: states)
    }
}
