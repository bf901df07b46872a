import ArgumentParser
import AsyncHTTPClient

/// What the benchmarks that run the hub's HTTP server in their own process share.
enum InProcessServer {
    /// Returns once the server at `base` answers `/health` (polled: it is starting in this very
    /// process, with nothing to await but its first answer); throws after about ten seconds.
    static func waitUntilAnswering(_ http: HTTPClient, _ base: String) async throws {
        for _ in 0..<100 {
            if let answer = try? await http.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(1)), answer.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the in-process server did not answer at \(base)")
    }
}
