/// Cuts a terminal's TCP byte stream into frames (0x7E … 0x7E), for the gateway.
///
/// On a stream 0x7E always delimits: a terminal that sends it unescaped inside a frame has its
/// frame cut in two there; both pieces then fail ``JT808Frame/decode(_:)`` (the check code cannot
/// hold for either), are dead-lettered, get no answer, and the terminal sends the message again.
/// Two flags in a row ("7E 7E": one frame's end, the next one's start, or a stray flag) start a
/// frame at the second. Bytes outside a frame, and a frame that grows past `maximumFrameBytes`
/// without its end flag, are garbage: reported, never buffered beyond the limit.
public struct JT808StreamDecoder: Sendable {
    public enum Piece: Sendable, Equatable {
        /// One frame with both flags, still escaped: what goes to `carrier.in.jt808` as it is.
        case frame([UInt8])
        /// Bytes that are no frame, and why (at most `maximumFrameBytes` of them kept).
        case garbage([UInt8], reason: String)
    }

    public let maximumFrameBytes: Int
    private var buffer: [UInt8] = []
    private var inFrame = false
    private var garbage: [UInt8] = []

    /// A message body is at most 1,023 bytes (10 bits of the body properties) and a header 21; escaped
    /// (every byte may double) with the check code and flags that is under 2,100 bytes.
    public static let standardMaximumFrameBytes = 2_100

    public init(maximumFrameBytes: Int = standardMaximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// How many bytes of an unfinished frame or garbage are held.
    public var buffered: Int { buffer.count + garbage.count }

    /// The pieces `bytes` complete, in order; an unfinished frame is kept for the next call.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [Piece] where Bytes.Element == UInt8 {
        var pieces: [Piece] = []
        for byte in bytes {
            if inFrame {
                if byte == 0x7E {
                    if buffer.count == 1 { continue }  // "7E 7E": the second starts the frame
                    buffer.append(byte)
                    pieces.append(.frame(buffer))
                    buffer.removeAll(keepingCapacity: true)
                    inFrame = false
                } else {
                    buffer.append(byte)
                    if buffer.count > maximumFrameBytes {
                        pieces.append(.garbage(buffer, reason: "no end flag within \(maximumFrameBytes) bytes: not a JT/T 808 frame"))
                        buffer.removeAll(keepingCapacity: true)
                        inFrame = false
                    }
                }
            } else if byte == 0x7E {
                flushGarbage(into: &pieces)
                buffer = [byte]
                inFrame = true
            } else {
                garbage.append(byte)
                if garbage.count >= maximumFrameBytes { flushGarbage(into: &pieces) }
            }
        }
        flushGarbage(into: &pieces)
        return pieces
    }

    private mutating func flushGarbage(into pieces: inout [Piece]) {
        guard !garbage.isEmpty else { return }
        pieces.append(.garbage(garbage, reason: "\(garbage.count) bytes outside a frame (a frame starts with 0x7E)"))
        garbage.removeAll(keepingCapacity: true)
    }
}
