import AsyncHTTPClient
import Foundation
import HubAPI
import HubContracts
import Hummingbird
import KafkaTestSupport
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The live streams and the HTTP server are bounded: a few streams per caller and a bound in all
/// (429 beyond), a replay window for Last-Event-ID (410 beyond), a stream that ends when its token
/// does, and connections that idle are closed.
@Suite("HTTP API: live streams and connections are bounded")
struct LiveStreamBoundsTests {
    /// The shared hub's services with small bounds.
    func application(_ hub: APITestHub, perCaller: Int = 2, total: Int = 3, replayWindow: Int64 = 200_000,
                     idleTimeout: Duration = APIServer.idleTimeout) -> (some ApplicationProtocol, LiveStreamLimits) {
        var services = hub.services
        services.streams = LiveStreamLimits(perCaller: perCaller, total: total)
        services.replayWindow = replayWindow
        return (APIServer.application(host: "127.0.0.1", port: 0, readiness: [], metrics: { "" }, services: services, logger: Logger(label: "bounds-test"),
                                      idleTimeout: idleTimeout), services.streams)
    }

    func open(_ port: Int, token: String, lastEventId: Int64? = nil) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/order-updates")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: String(lastEventId)) }
        return try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    }

    /// Reads a stream's body until it ends; the text.
    func drain(_ response: HTTPClientResponse) async throws -> String {
        var text = ""
        for try await chunk in response.body { text += String(buffer: chunk) }
        return text
    }

    @Test("two streams per caller and three in all: one more is 429 naming the limit, with Retry-After; a closed stream gives its place back")
    func streamCaps() async throws {
        let hub = try await APITestHub.shared.value
        let (app, limits) = application(hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let d1 = hub.token(APITestHub.d1)
            // Two of D1's streams, held open by readers that run until cancelled.
            let readers = (0..<2).map { _ in
                Task {
                    let response = try await open(port, token: d1)
                    for try await _ in response.body {}
                }
            }
            try await withDeadline(.seconds(30), "D1's two streams open") {
                while limits.count(of: APITestHub.d1.subject) < 2 { try await Task.sleep(for: .milliseconds(20)) }
            }
            let third = try await open(port, token: d1)
            #expect(third.status == .tooManyRequests && third.headers.first(name: "retry-after") == "5")
            let thirdText = try await drain(third)
            #expect(thirdText.contains("2 live streams open already"), "\(thirdText)")
            let other = try await open(port, token: hub.token(APITestHub.d3))
            #expect(other.status == .ok, "another caller has a place of its own")
            let otherReader = Task { for try await _ in other.body {} }
            try await withDeadline(.seconds(30), "three streams open") {
                while limits.count() < 3 { try await Task.sleep(for: .milliseconds(20)) }
            }
            let beyondAll = try await open(port, token: hub.token(APITestHub.eastManager))
            let beyondAllText = try await drain(beyondAll)
            #expect(beyondAll.status == .tooManyRequests && beyondAllText.contains("3 live streams already"), "\(beyondAllText)")
            // D1 closes one: its place comes back.
            readers[0].cancel()
            otherReader.cancel()
            try await withDeadline(.seconds(30), "the closed streams' places given back") {
                while limits.count(of: APITestHub.d1.subject) > 1 || limits.count() > 1 { try await Task.sleep(for: .milliseconds(20)) }
            }
            let again = try await open(port, token: d1)
            #expect(again.status == .ok)
            readers[1].cancel()
        }
    }

    @Test("Last-Event-ID: further back than the replay window is 410 saying what to do; ahead of the newest is 400")
    func replayWindow() async throws {
        let hub = try await APITestHub.shared.value
        let (app, _) = application(hub, replayWindow: 1)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // An order makes several outbox rows, so the newest is at least 2 past the one before it.
            let before = try await hub.services.watch.current()
            _ = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"1"}]}"#)
            let newest = try await hub.services.watch.current()
            #expect(newest - before >= 2)
            let old = try await open(port, token: hub.token(APITestHub.d1), lastEventId: before)
            #expect(old.status == .gone)
            let oldText = try await drain(old)
            #expect(oldText.contains("GET /v1/orders for the current state"), "\(oldText)")
            let ahead = try await open(port, token: hub.token(APITestHub.d1), lastEventId: newest + 1_000)
            #expect(ahead.status == .badRequest)
        }
    }

    @Test("a stream ends when the caller's token expires, saying so")
    func endsWithToken() async throws {
        let hub = try await APITestHub.shared.value
        let (app, limits) = application(hub)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let response = try await open(port, token: hub.token(APITestHub.d3, lifetime: 3))
            #expect(response.status == .ok)
            let text = try await withDeadline(.seconds(30), "the stream to end with its token") { try await drain(response) }
            #expect(text.contains(": credentials expired"), "\(text)")
            try await withDeadline(.seconds(10), "the ended stream's place given back") {
                while limits.count() > 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
        }
    }

    @Test("a keep-alive connection left idle after its request is closed after the idle timeout")
    func idleConnectionClosed() async throws {
        let hub = try await APITestHub.shared.value
        let (app, _) = application(hub, idleTimeout: .seconds(1))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let closedAfter = try await withDeadline(.seconds(30), "the server to close the idle connection") {
                try await Task.detached { try Self.secondsUntilClosed(port: port) }.value
            }
            #expect(closedAfter >= 0.5 && closedAfter < 10, "\(closedAfter) s")
        }
    }

    struct SocketError: Error { let what: String }

    /// Connects, asks for /health on a keep-alive connection, reads the answer, then sends nothing
    /// and waits (at most 15 s) for the server to close: the seconds that took.
    static func secondsUntilClosed(port: Int) throws -> Double {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(what: "socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError(what: "connect") }
        let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { throw SocketError(what: "send") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var answer: [UInt8] = []
        while !String(decoding: answer, as: UTF8.self).contains(#"{"status":"ok"}"#) {
            let read = recv(fd, &buffer, buffer.count, 0)
            guard read > 0 else { throw SocketError(what: "the answer to /health, recv gave \(read)") }
            answer += buffer[0..<read]
        }
        let started = Date()
        let read = recv(fd, &buffer, buffer.count, 0)
        guard read == 0 else { throw SocketError(what: "expected the server to close, recv gave \(read)") }
        return Date().timeIntervalSince(started)
    }
}
