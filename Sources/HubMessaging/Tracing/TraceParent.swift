import Synchronization

/// A W3C `traceparent` (https://www.w3.org/TR/trace-context/): version 00, a 16-byte trace id, an
/// 8-byte span id and the flags, as 55 characters `00-<32 hex>-<16 hex>-<2 hex>`. The hub keeps
/// it as those bytes: continuing a trace on every message of a busy topic then costs a copy and a
/// new span id, not a parse into numbers and back.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// The header value's bytes (lowercase hex), exactly 55.
    public let bytes: [UInt8]

    static let length = 55

    /// A valid `traceparent` of version 00 (any other version, an all-zero id, upper-case hex or a
    /// wrong length is refused, as the recommendation says a receiver should).
    public init?(_ bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count == Self.length, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
              bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return nil }
        for range in [3..<35, 36..<52, 53..<55] where !bytes[range].allSatisfy(Self.isHexDigit) { return nil }
        guard !bytes[3..<35].allSatisfy({ $0 == UInt8(ascii: "0") }), !bytes[36..<52].allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        self.bytes = bytes
    }

    public init?(_ text: String) {
        self.init(text.utf8)
    }

    private init(trusted bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The header value.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// The trace id, 32 hex digits: the same for every span of the trace.
    public var traceID: String { String(decoding: bytes[3..<35], as: UTF8.self) }

    /// This span's id, 16 hex digits.
    public var spanID: String { String(decoding: bytes[36..<52], as: UTF8.self) }

    /// Whether the caller may have recorded the trace (flag bit 0).
    public var sampled: Bool {
        let digit = bytes[54]
        let value = digit >= UInt8(ascii: "a") ? digit - UInt8(ascii: "a") + 10 : digit - UInt8(ascii: "0")
        return value & 1 == 1
    }

    /// A span of the same trace below this one: a new span id, the same trace id and flags.
    public func child() -> TraceParent {
        var child = bytes
        Self.writeHex(Self.ids.next(), into: &child, at: 36)
        return TraceParent(trusted: child)
    }

    /// The first span of a new trace (sampled).
    public static func root() -> TraceParent {
        var bytes = Array("00-00000000000000000000000000000000-0000000000000000-01".utf8)
        writeHex(ids.next(), into: &bytes, at: 3)
        writeHex(ids.next(), into: &bytes, at: 19)
        writeHex(ids.next(), into: &bytes, at: 36)
        return TraceParent(trusted: bytes)
    }

    /// Continues the trace `parent` is a span of, or starts one when there is none.
    public static func continuing(_ parent: TraceParent?) -> TraceParent {
        parent?.child() ?? root()
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `value` as 16 hex digits at `offset`.
    private static func writeHex(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<16 {
            bytes[offset + index] = hexDigits[Int((value >> UInt64(60 - 4 * index)) & 0xF)]
        }
    }

    /// Where span and trace ids come from: SplitMix64 over a seed from the system's generator.
    /// Ids must not collide; they need not be secret, and a system call per message (what
    /// `SystemRandomNumberGenerator` costs here) is more than an adapter's mapping of it.
    private static let ids = IdSource()

    private final class IdSource: Sendable {
        private let state: Mutex<UInt64>

        init() {
            var system = SystemRandomNumberGenerator()
            state = Mutex(system.next())
        }

        func next() -> UInt64 {
            var value = state.withLock { state -> UInt64 in
                state &+= 0x9E37_79B9_7F4A_7C15
                return state
            }
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            value ^= value >> 31
            // Never zero: an all-zero id is invalid.
            return value == 0 ? 1 : value
        }
    }
}
