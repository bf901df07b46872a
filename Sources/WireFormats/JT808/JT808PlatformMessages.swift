/// The JT/T 808 message ids a platform (the hub's gateway) receives and sends.
public enum JT808MessageID {
    public static let terminalResponse: UInt16 = 0x0001
    public static let heartbeat: UInt16 = 0x0002
    public static let logout: UInt16 = 0x0003
    public static let register: UInt16 = 0x0100
    public static let authenticate: UInt16 = 0x0102
    public static let locationReport: UInt16 = JT808Location.locationReport
    public static let positionQueryAnswer: UInt16 = 0x0201
    public static let batchUpload: UInt16 = JT808Location.batchUpload
    public static let platformResponse: UInt16 = 0x8001
    public static let registerResponse: UInt16 = 0x8100
    public static let positionQuery: UInt16 = 0x8201

    public static func name(_ id: UInt16) -> String {
        let digits = String(id, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// The result of the platform general response (0x8001).
public enum JT808Result: UInt8, Sendable {
    case success = 0
    case failure = 1
    case messageError = 2
    case unsupported = 3
}

/// The result of the registration response (0x8100).
public enum JT808RegistrationResult: UInt8, Sendable {
    case success = 0
    case vehicleAlreadyRegistered = 1
    case noSuchVehicle = 2
    case terminalAlreadyRegistered = 3
    case noSuchTerminal = 4
}

/// The platform's messages to a terminal, each in the header version the terminal spoke.
public enum JT808Platform {
    /// 0x8001: the answer to `frame` (reply serial, reply id, result).
    public static func generalResponse(to frame: JT808Frame, result: JT808Result, serial: UInt16) -> JT808Frame {
        JT808Frame(messageId: JT808MessageID.platformResponse, protocolVersion: frame.protocolVersion, terminal: frame.terminal, serial: serial,
                   body: bytes(frame.serial) + bytes(frame.messageId) + [result.rawValue])
    }

    /// 0x8100: the answer to a registration; the authentication code only with success.
    public static func registrationResponse(to frame: JT808Frame, result: JT808RegistrationResult, code: String?, serial: UInt16) -> JT808Frame {
        var body = bytes(frame.serial) + [result.rawValue]
        if result == .success, let code { body += Array(code.utf8) }
        return JT808Frame(messageId: JT808MessageID.registerResponse, protocolVersion: frame.protocolVersion, terminal: frame.terminal, serial: serial, body: body)
    }

    /// 0x8201: "where are you now"; the terminal answers with 0x0201.
    public static func positionQuery(terminal: String, protocolVersion: UInt8?, serial: UInt16) -> JT808Frame {
        JT808Frame(messageId: JT808MessageID.positionQuery, protocolVersion: protocolVersion, terminal: terminal, serial: serial, body: [])
    }

    /// A 0x0201 answer as the 0x0200 location report it carries (its first two bytes, the query's
    /// serial, dropped): what goes to `carrier.in.jt808`, so it becomes a position like any other.
    public static func locationReport(fromQueryAnswer frame: JT808Frame) throws(JT808Error) -> JT808Frame {
        guard frame.messageId == JT808MessageID.positionQueryAnswer else { throw JT808Error("message \(JT808MessageID.name(frame.messageId)) is not a position query answer") }
        guard frame.body.count >= 2 + 28 else { throw JT808Error("position query answer of \(frame.body.count) bytes: a reply serial and a 28-byte location are needed") }
        var report = frame
        report.messageId = JT808MessageID.locationReport
        report.body = Array(frame.body.dropFirst(2))
        report.subPackage = nil
        return report
    }

    static func bytes(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}

/// What a terminal authenticates with (0x0102): the 2013 body is the code; the 2019 one its length,
/// the code, the IMEI (15) and the software version (20).
public struct JT808Authentication: Sendable, Equatable {
    public var code: String
    public var imei: String?
    public var softwareVersion: String?

    public static func decode(_ frame: JT808Frame) throws(JT808Error) -> JT808Authentication {
        guard frame.protocolVersion != nil else {
            return JT808Authentication(code: text(frame.body[...]))
        }
        var reader = ByteReader(frame.body)
        let length = try reader.u8("authentication code length")
        let code = try reader.take(Int(length), "authentication code")
        let imei = try reader.take(15, "IMEI")
        let software = try reader.take(20, "software version")
        return JT808Authentication(code: text(code), imei: text(imei), softwareVersion: text(software))
    }

    public func body(version2019: Bool) -> [UInt8] {
        let code = Array(code.utf8)
        guard version2019 else { return code }
        func field(_ value: String?, _ width: Int) -> [UInt8] {
            let bytes = Array((value ?? "").utf8.prefix(width))
            return bytes + [UInt8](repeating: 0, count: width - bytes.count)
        }
        return [UInt8(min(code.count, 255))] + code.prefix(255) + field(imei, 15) + field(softwareVersion, 20)
    }

    public init(code: String, imei: String? = nil, softwareVersion: String? = nil) {
        self.code = code
        self.imei = imei
        self.softwareVersion = softwareVersion
    }

    /// Text fields are GBK, padded with zero bytes; the codes the hub issues are ASCII.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
