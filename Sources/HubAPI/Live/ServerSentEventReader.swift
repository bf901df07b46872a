/// One event of a `text/event-stream`, as a client reads it.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    /// The `data` lines, joined by line breaks; empty for a block of comments only (a keep-alive).
    public var data: [UInt8]
    /// The comment lines (`: …`), without the colon and its space.
    public var comments: [String]

    public init(id: String? = nil, event: String? = nil, data: [UInt8] = [], comments: [String] = []) {
        self.id = id
        self.event = event
        self.data = data
        self.comments = comments
    }
}

/// Splits a server-sent event stream into events, on the bytes as they arrive in chunks of any size
/// (what a client of ``OrderUpdateStream`` does; the bench reads every update of a run with it).
/// Lines end in LF or CRLF; a field's value loses one leading space, as the format says; a block
/// ends at an empty line.
public struct ServerSentEventReader: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete block, or `nil` until one has arrived whole.
    public mutating func next() -> ServerSentEvent? {
        var event = ServerSentEvent()
        var hasData = false
        var lines = 0
        var index = start
        var lineStart = start
        while index < buffer.count {
            guard buffer[index] == UInt8(ascii: "\n") else {
                index += 1
                continue
            }
            var line = buffer[lineStart..<index]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            index += 1
            lineStart = index
            if line.isEmpty {
                start = index
                if lines > 0 { return event }
                continue  // a stray line break between blocks
            }
            lines += 1
            apply(line, to: &event, hasData: &hasData)
        }
        return nil
    }

    private func apply(_ line: ArraySlice<UInt8>, to event: inout ServerSentEvent, hasData: inout Bool) {
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var value = line[colon...].dropFirst()
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch String(decoding: line[..<colon], as: UTF8.self) {
        case "": event.comments.append(String(decoding: value, as: UTF8.self))
        case "data":
            if hasData { event.data.append(UInt8(ascii: "\n")) }
            event.data.append(contentsOf: value)
            hasData = true
        case "id": event.id = String(decoding: value, as: UTF8.self)
        case "event": event.event = String(decoding: value, as: UTF8.self)
        default: break  // retry and fields this reader does not know
        }
    }
}
