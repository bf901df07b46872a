import Testing
import WireFormats

@Suite("JT/T 808 gateway: the stream decoder and the platform's messages")
struct JT808WireTests {
    static let frames = [
        JT808Frame(messageId: 0x0002, protocolVersion: nil, terminal: "013800000001", serial: 0x7E7D, body: []).encoded(),
        JT808Frame(messageId: 0x0200, protocolVersion: 1, terminal: "00000000013800000001", serial: 2, body: Array(0..<40)).encoded(),
        JT808Frame(messageId: 0x0102, protocolVersion: nil, terminal: "013800000001", serial: 3, body: [0x7E, 0x7D, 0x41]).encoded(),
    ]

    @Test("frames cut anywhere across reads come out whole and in order")
    func cuts() {
        let stream = Self.frames.flatMap { $0 }
        for cut in 1..<stream.count {
            var decoder = JT808StreamDecoder()
            let pieces = decoder.feed(stream[..<cut]) + decoder.feed(stream[cut...])
            #expect(pieces == Self.frames.map { .frame($0) }, "cut at \(cut)")
            #expect(decoder.buffered == 0)
        }
    }

    @Test("bytes outside frames are garbage; two flags in a row start a frame at the second; a frame without its end flag is cut at the limit")
    func garbage() {
        var decoder = JT808StreamDecoder(maximumFrameBytes: 64)
        let pieces = decoder.feed([1, 2, 3] + [0x7E] + Self.frames[0])
        #expect(pieces.count == 2)
        #expect(pieces.first == .garbage([1, 2, 3], reason: "3 bytes outside a frame (a frame starts with 0x7E)"))
        #expect(pieces.last == .frame(Self.frames[0]))
        let long = decoder.feed([0x7E] + [UInt8](repeating: 0x41, count: 100))
        #expect(long.count == 2, "the unfinished frame is cut at 64 bytes, the rest is garbage")
        if case .garbage(let bytes, let reason) = long.first { #expect(bytes.count == 65 && reason.contains("no end flag")) } else { Issue.record("not garbage: \(long)") }
        #expect(decoder.buffered < 64)
    }

    @Test("an unescaped 0x7E: a whole frame decodes when the check code holds; on a stream it cuts the frame and both pieces fail")
    func unescapedFlag() throws {
        // A frame whose serial is 0x7E01, sent by a terminal that forgot to escape it.
        let proper = JT808Frame(messageId: 0x0200, protocolVersion: nil, terminal: "013800000001", serial: 0x7E01, body: [1, 2, 3]).encoded()
        let sloppy = [UInt8](proper[..<11]) + [0x7E] + [UInt8](proper[13...])
        #expect(proper[11] == 0x7D && proper[12] == 0x02)
        let decoded = try JT808Frame.decode(sloppy)
        #expect(decoded.serial == 0x7E01 && decoded.body == [1, 2, 3])
        var corrupt = sloppy
        corrupt[corrupt.count - 3] ^= 0x01
        #expect {
            _ = try JT808Frame.decode(corrupt)
        } throws: { error in
            (error as? JT808Error)?.description.contains("unescaped 0x7E") == true
        }
        var decoder = JT808StreamDecoder()
        let pieces = decoder.feed(sloppy)
        let frames = pieces.compactMap { if case .frame(let bytes) = $0 { bytes } else { nil } }
        #expect(frames.count == 1, "the stream takes the stray flag as the end of a frame; the rest waits for an end")
        #expect(throws: JT808Error.self) { try JT808Frame.decode(frames[0]) }
    }

    @Test("platform answers carry the terminal's serial and message id, in the header version it spoke")
    func answers() throws {
        let request = JT808Frame(messageId: 0x0200, protocolVersion: 1, terminal: "00000000013800000001", serial: 0x1234, body: [])
        let general = try JT808Frame.decode(JT808Platform.generalResponse(to: request, result: .failure, serial: 9).encoded())
        #expect(general.messageId == 0x8001 && general.protocolVersion == 1 && general.terminal == request.terminal && general.serial == 9)
        #expect(general.body == [0x12, 0x34, 0x02, 0x00, 0x01])
        let registration = JT808Platform.registrationResponse(to: request, result: .success, code: "abc", serial: 10)
        #expect(registration.body == [0x12, 0x34, 0x00] + Array("abc".utf8))
        #expect(JT808Platform.registrationResponse(to: request, result: .noSuchTerminal, code: "abc", serial: 10).body == [0x12, 0x34, 0x04])
        let query = JT808Platform.positionQuery(terminal: "013800000001", protocolVersion: nil, serial: 11)
        #expect(query.messageId == 0x8201 && query.body.isEmpty)
        let auth2019 = JT808Authentication(code: "c0de", imei: "860000000000001", softwareVersion: "1.0.0")
        let frame2019 = JT808Frame(messageId: 0x0102, protocolVersion: 1, terminal: "1", serial: 1, body: auth2019.body(version2019: true))
        #expect(try JT808Authentication.decode(frame2019) == auth2019)
        #expect(JT808MessageID.name(0x200) == "0x0200" && JT808MessageID.name(0x8001) == "0x8001")
    }
}
