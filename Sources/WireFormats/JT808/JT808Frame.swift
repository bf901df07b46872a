/// One JT/T 808 frame, unescaped and checked: 0x7E, header + body + check code (escaped: 0x7E ->
/// 0x7D 0x02, 0x7D -> 0x7D 0x01), 0x7E. The 2013 header has a 6-byte BCD terminal number; the 2019
/// header (version flag, bit 14 of the body properties) a protocol version byte and a 10-byte one.
public struct JT808Frame: Sendable, Equatable {
    public struct SubPackage: Sendable, Equatable {
        public var total: UInt16
        /// 1-based.
        public var index: UInt16

        public init(total: UInt16, index: UInt16) {
            self.total = total
            self.index = index
        }
    }

    public var messageId: UInt16
    /// The 2019 header's protocol version; `nil` for a 2013 header.
    public var protocolVersion: UInt8?
    /// The terminal phone number, as its BCD digits (12 for 2013, 20 for 2019).
    public var terminal: String
    public var serial: UInt16
    public var encryption: UInt8
    public var subPackage: SubPackage?
    public var body: [UInt8]

    public init(messageId: UInt16, protocolVersion: UInt8?, terminal: String, serial: UInt16, encryption: UInt8 = 0,
                subPackage: SubPackage? = nil, body: [UInt8]) {
        self.messageId = messageId
        self.protocolVersion = protocolVersion
        self.terminal = terminal
        self.serial = serial
        self.encryption = encryption
        self.subPackage = subPackage
        self.body = body
    }

    /// The largest frame the decoder accepts (the catalogue's 64 KiB).
    public static let maximumSize = 65_536

    /// Decodes one frame; every way it can be wrong is a ``JT808Error`` that says where.
    ///
    /// Some terminals send a 0x7E inside the frame unescaped. A frame that arrives whole (one Kafka
    /// message) is bounded by its first and last byte, so such a byte is taken as data and the
    /// check code decides: when it holds, the frame is decoded; when not, the error names the
    /// unescaped byte. (A byte stream cannot do this: there 0x7E ends the frame — see
    /// ``JT808StreamDecoder``.)
    public static func decode(_ bytes: [UInt8]) throws(JT808Error) -> JT808Frame {
        guard bytes.count <= maximumSize else { throw JT808Error("frame of \(bytes.count) bytes is larger than \(maximumSize)") }
        guard bytes.count >= 2, bytes.first == 0x7E, bytes.last == 0x7E else {
            throw JT808Error("not a frame: it must start and end with 0x7E (truncated?)")
        }
        var content: [UInt8] = []
        content.reserveCapacity(bytes.count)
        var index = 1
        let end = bytes.count - 1
        var unescapedFlag: Int?
        while index < end {
            let byte = bytes[index]
            if byte == 0x7E, unescapedFlag == nil { unescapedFlag = index }
            if byte == 0x7D {
                guard index + 1 < end else { throw JT808Error("escape 0x7D at the end of the frame") }
                switch bytes[index + 1] {
                case 0x01: content.append(0x7D)
                case 0x02: content.append(0x7E)
                case let other: throw JT808Error("invalid escape 0x7D 0x\(hex(other)) at byte \(index)")
                }
                index += 2
            } else {
                content.append(byte)
                index += 1
            }
        }
        guard content.count >= 13 else { throw JT808Error("frame of \(content.count) bytes is shorter than a header and check code (truncated?)") }
        let check = content.removeLast()
        let computed = content.reduce(0, ^)
        guard computed == check else {
            if let unescapedFlag {
                throw JT808Error("unescaped 0x7E inside the frame at byte \(unescapedFlag), and the check code does not hold with it taken as data")
            }
            throw JT808Error("check code 0x\(hex(check)) does not match the content's 0x\(hex(computed)) (corrupted or truncated frame)")
        }

        var reader = ByteReader(content)
        let messageId = try reader.u16("message id")
        let properties = try reader.u16("body properties")
        let bodyLength = Int(properties & 0x03FF)
        let encryption = UInt8((properties >> 10) & 0x07)
        let isSubPackage = properties & 0x2000 != 0
        let is2019 = properties & 0x4000 != 0
        var protocolVersion: UInt8?
        let terminal: String
        if is2019 {
            protocolVersion = try reader.u8("protocol version")
            terminal = try reader.bcd(10, "terminal number")
        } else {
            terminal = try reader.bcd(6, "terminal number")
        }
        let serial = try reader.u16("message serial")
        var subPackage: SubPackage?
        if isSubPackage {
            let total = try reader.u16("package total")
            let number = try reader.u16("package number")
            guard total >= 1, number >= 1, number <= total else { throw JT808Error("package \(number) of \(total) is impossible") }
            subPackage = SubPackage(total: total, index: number)
        }
        guard reader.remaining == bodyLength else {
            throw JT808Error("the header says a \(bodyLength)-byte body, the frame carries \(reader.remaining) (truncated?)")
        }
        return JT808Frame(messageId: messageId, protocolVersion: protocolVersion, terminal: terminal, serial: serial,
                          encryption: encryption, subPackage: subPackage, body: Array(reader.rest))
    }

    /// A frame's bytes (for tests and simulators): header, body, check code, escaped and delimited.
    public func encoded() -> [UInt8] {
        var content: [UInt8] = []
        var properties = UInt16(body.count & 0x03FF) | UInt16(encryption & 0x07) << 10
        if subPackage != nil { properties |= 0x2000 }
        if protocolVersion != nil { properties |= 0x4000 }
        content += [UInt8(messageId >> 8), UInt8(messageId & 0xFF), UInt8(properties >> 8), UInt8(properties & 0xFF)]
        if let protocolVersion { content.append(protocolVersion) }
        content += Self.bcdBytes(terminal, count: protocolVersion == nil ? 6 : 10)
        content += [UInt8(serial >> 8), UInt8(serial & 0xFF)]
        if let subPackage {
            content += [UInt8(subPackage.total >> 8), UInt8(subPackage.total & 0xFF), UInt8(subPackage.index >> 8), UInt8(subPackage.index & 0xFF)]
        }
        content += body
        content.append(content.reduce(0, ^))
        var frame: [UInt8] = [0x7E]
        for byte in content {
            switch byte {
            case 0x7E: frame += [0x7D, 0x02]
            case 0x7D: frame += [0x7D, 0x01]
            default: frame.append(byte)
            }
        }
        frame.append(0x7E)
        return frame
    }

    static func bcdBytes(_ digits: String, count: Int) -> [UInt8] {
        let padded = String(repeating: "0", count: max(0, count * 2 - digits.count)) + digits.suffix(count * 2)
        let values = padded.compactMap { $0.wholeNumberValue.map(UInt8.init) }
        return stride(from: 0, to: values.count - 1, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}

/// What is wrong with a frame or body.
public struct JT808Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

/// Big-endian reads over a byte array, each failing with the field's name when the bytes run out.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }
    var rest: ArraySlice<UInt8> { bytes[position...] }

    mutating func u8(_ field: String) throws(JT808Error) -> UInt8 {
        guard remaining >= 1 else { throw JT808Error("\(field): the data ends at byte \(position) (truncated?)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ field: String) throws(JT808Error) -> UInt16 {
        guard remaining >= 2 else { throw JT808Error("\(field): the data ends at byte \(position) (truncated?)") }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func u32(_ field: String) throws(JT808Error) -> UInt32 {
        guard remaining >= 4 else { throw JT808Error("\(field): the data ends at byte \(position) (truncated?)") }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    mutating func take(_ count: Int, _ field: String) throws(JT808Error) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw JT808Error("\(field): \(count) bytes needed, \(remaining) left (truncated?)") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// `count` bytes of packed BCD as digit values; a nibble above 9 is an error.
    mutating func bcdDigits(_ count: Int, _ field: String) throws(JT808Error) -> [Int] {
        guard remaining >= count else { throw JT808Error("\(field): \(count) bytes needed, \(remaining) left (truncated?)") }
        var digits: [Int] = []
        digits.reserveCapacity(count * 2)
        for index in position..<(position + count) {
            let byte = bytes[index]
            let high = byte >> 4, low = byte & 0x0F
            guard high <= 9, low <= 9 else { throw JT808Error("\(field): 0x\(hex(byte)) is not BCD") }
            digits.append(Int(high))
            digits.append(Int(low))
        }
        position += count
        return digits
    }

    /// `count` bytes of packed BCD as their digits; a nibble above 9 is an error.
    mutating func bcd(_ count: Int, _ field: String) throws(JT808Error) -> String {
        let raw = try take(count, field)
        for byte in raw where byte >> 4 > 9 || byte & 0x0F > 9 { throw JT808Error("\(field): 0x\(hex(byte)) is not BCD") }
        return String(unsafeUninitializedCapacity: count * 2) { buffer in
            var index = 0
            for byte in raw {
                buffer[index] = 48 + byte >> 4
                buffer[index + 1] = 48 + byte & 0x0F
                index += 2
            }
            return count * 2
        }
    }
}
