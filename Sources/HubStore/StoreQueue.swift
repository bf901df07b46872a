import Dispatch

/// Runs store calls on a dedicated serial queue: a database call may wait on the disk or the
/// network, and must not hold one of the cooperative pool's few threads meanwhile.
public struct StoreQueue: Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: "lubehub.store.\(label)")
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
