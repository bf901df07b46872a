import HubAPI
import Testing

@Suite("server-sent events read on the bytes")
struct ServerSentEventReaderTests {
    static let stream = """
        retry: 2000
        : following order updates after 0

        id: 7
        event: order.view
        data: {"data":
        data: {"status":"accepted"}}


        : keep-alive

        id: 8\r
        data:{"订单":"O-1"}\r
        \r
        id: 9
        data: half
        """

    @Test("whatever the chunks, the same events: ids, names, multi-line data, comments, CRLF, no space after the colon; an unfinished event waits")
    func anyChunking() {
        let bytes = Array(Self.stream.utf8)
        let expected = [
            ServerSentEvent(comments: ["following order updates after 0"]),
            ServerSentEvent(id: "7", event: "order.view", data: Array("{\"data\":\n{\"status\":\"accepted\"}}".utf8)),
            ServerSentEvent(comments: ["keep-alive"]),
            ServerSentEvent(id: "8", data: Array("{\"订单\":\"O-1\"}".utf8)),
        ]
        for size in [1, 2, 3, 7, 16, bytes.count] {
            var reader = ServerSentEventReader()
            var events: [ServerSentEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                reader.append(bytes[start..<min(start + size, bytes.count)])
                while let event = reader.next() { events.append(event) }
            }
            #expect(events == expected, "chunks of \(size)")
            reader.append(Array("\n\n".utf8))
            #expect(reader.next() == ServerSentEvent(id: "9", data: Array("half".utf8)), "chunks of \(size)")
            #expect(reader.next() == nil)
        }
    }
}
