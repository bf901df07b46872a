import HubContracts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single-pass reader of `vehicle.position` envelopes for the hot path: it walks the JSON once,
/// keeps only the fields the core needs and builds no tree. It accepts any valid JSON layout (key
/// order, whitespace, escapes, unknown members, which it skips) and refuses invalid JSON, so it is
/// interchangeable with the general parser for these events; tests check both agree.
struct PositionEventScanner {
    struct Failure: Error {
        var field: String
        var reason: String
    }

    /// The envelope's and the data's fields as read; `nil` where absent.
    struct Fields {
        var id: String?
        var type: String?
        var envelopeSource: String?
        var occurredAt: String?
        var subject: String?
        var schemaVersion: (value: Double, isInteger: Bool)?
        var hasData = false
        var vehicleId: String?
        var fixAt: String?
        var lat: Double?
        var lon: Double?
        var speedKmh: Double?
        var heading: (value: Double, isInteger: Bool)?
        var altitudeM: (value: Double, isInteger: Bool)?
        var alarmFlags: Double?
        var statusFlags: Double?
        var source: String?
        var carrierId: String?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0

    static func scan(_ message: [UInt8], limits: InputLimits) throws(Failure) -> Fields {
        guard message.count <= limits.maxMessageBytes else {
            throw Failure(field: "", reason: "message is \(message.count) bytes, the limit is \(limits.maxMessageBytes)")
        }
        return try message.withUnsafeBufferPointer { buffer throws(Failure) -> Fields in
            var scanner = PositionEventScanner(bytes: buffer, maxDepth: limits.maxDepth)
            return try scanner.envelope()
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func fail(_ reason: String) -> Failure { Failure(field: "", reason: "invalid JSON at byte \(index): \(reason)") }

    private mutating func envelope() throws(Failure) -> Fields {
        var fields = Fields()
        skipWhitespace()
        try members(depth: 1) { (scanner: inout PositionEventScanner, key: Key) throws(Failure) in
            switch key {
            case .id: fields.id = try scanner.string()
            case .type: fields.type = try scanner.string()
            case .source: fields.envelopeSource = try scanner.string()
            case .occurredAt: fields.occurredAt = try scanner.string()
            case .subject: fields.subject = try scanner.string()
            case .schemaVersion: fields.schemaVersion = try scanner.number()
            case .data:
                fields.hasData = true
                try scanner.data(into: &fields)
            default: try scanner.skipValue(depth: 1)
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected data after the JSON value") }
        return fields
    }

    private mutating func data(into fields: inout Fields) throws(Failure) {
        var local = fields
        try members(depth: 2) { (scanner: inout PositionEventScanner, key: Key) throws(Failure) in
            switch key {
            case .vehicleId: local.vehicleId = try scanner.string()
            case .fixAt: local.fixAt = try scanner.string()
            case .lat: local.lat = try scanner.number().value
            case .lon: local.lon = try scanner.number().value
            case .speedKmh: local.speedKmh = try scanner.number().value
            case .heading: local.heading = try scanner.number()
            case .altitudeM: local.altitudeM = try scanner.number()
            case .alarmFlags: local.alarmFlags = try scanner.number().value
            case .statusFlags: local.statusFlags = try scanner.number().value
            case .source: local.source = try scanner.string()
            case .carrierId: local.carrierId = try scanner.string()
            default: try scanner.skipValue(depth: 2)
            }
        }
        fields = local
    }

    /// The member names the reader cares about.
    enum Key: Int {
        case id, type, data, occurredAt, subject, schemaVersion, vehicleId, fixAt, lat, lon, speedKmh, heading, altitudeM, alarmFlags, statusFlags, source, carrierId, other

        static func match(_ name: UnsafeBufferPointer<UInt8>) -> Key {
            switch name.count {
            case 2 where equal(name, "id"): .id
            case 3 where equal(name, "lat"): .lat
            case 3 where equal(name, "lon"): .lon
            case 4 where equal(name, "type"): .type
            case 4 where equal(name, "data"): .data
            case 5 where equal(name, "fixAt"): .fixAt
            case 6 where equal(name, "source"): .source
            case 7 where equal(name, "heading"): .heading
            case 7 where equal(name, "subject"): .subject
            case 10 where equal(name, "occurredAt"): .occurredAt
            case 13 where equal(name, "schemaVersion"): .schemaVersion
            case 8 where equal(name, "speedKmh"): .speedKmh
            case 9 where equal(name, "vehicleId"): .vehicleId
            case 9 where equal(name, "carrierId"): .carrierId
            case 9 where equal(name, "altitudeM"): .altitudeM
            case 10 where equal(name, "alarmFlags"): .alarmFlags
            case 11 where equal(name, "statusFlags"): .statusFlags
            default: .other
            }
        }

        private static func equal(_ name: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
            literal.withUTF8Buffer { expected in
                expected.count == name.count && memcmp(expected.baseAddress!, name.baseAddress!, name.count) == 0
            }
        }
    }

    /// Calls `member` for each member of the object at the cursor; duplicate names are refused.
    private mutating func members(depth: Int, _ member: (inout PositionEventScanner, Key) throws(Failure) -> Void) throws(Failure) {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail("an object is required") }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        var seen: UInt32 = 0  // the known names met so far in this object: a repeat is refused
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
            let nameStart = index
            let key: Key
            if let range = try rawStringRange() {
                let name = UnsafeBufferPointer(rebasing: bytes[range])
                if !name.allSatisfy({ $0 < 0x80 }), String(validating: name, as: UTF8.self) == nil { throw fail("invalid UTF-8 in a member name") }
                key = Key.match(name)
            } else {
                // An escaped name: decoded exactly (and checked) by the general parser.
                index = nameStart
                var decoded = try string()
                key = decoded.withUTF8 { Key.match($0) }
            }
            if key != .other {
                let bit = UInt32(1) << UInt32(key.rawValue)
                guard seen & bit == 0 else { throw fail("duplicate member \"\(key)\"") }
                seen |= bit
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0a || bytes[index] == 0x0d || bytes[index] == 0x09 { index += 1 }
    }

    /// At a quote: the range of a string without escapes (cursor moves past it), or `nil` after
    /// skipping a string that has escapes. Control characters are refused.
    private mutating func rawStringRange() throws(Failure) -> Range<Int>? {
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped ? nil : start..<(index - 1)
            }
            if byte < 0x20 { throw fail("control character in a string must be escaped") }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// A string value; escaped strings go through the general parser to be decoded exactly.
    private mutating func string() throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("a string is required") }
        let start = index
        if let range = try rawStringRange() {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            // ASCII (ids, timestamps) needs no validation; anything else is validated, never repaired.
            if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
            guard let text = String(validating: slice, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
            return text
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(Array(bytes[start..<index]))
        } catch {
            throw Failure(field: "", reason: error.description)
        }
        guard case .string(let text) = parsed else { throw fail("a string is required") }
        return text
    }

    /// A number value and whether it is written as an integer.
    private mutating func number() throws(Failure) -> (value: Double, isInteger: Bool) {
        let start = index
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var negative = false
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { throw fail("a number is required") }
        if bytes[index] == 0x30, index + 1 < bytes.count, bytes[index + 1] >= 0x30, bytes[index + 1] <= 0x39 {
            throw fail("a number must not have leading zeros")
        }
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] - 0x30)
            digits += 1
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            fractionDigits = index - fractionStart
            guard fractionDigits > 0 else { throw fail("digits must follow a decimal point") }
        }
        var exact = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            exact = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > exponentStart else { throw fail("digits must follow an exponent") }
        }
        guard index - start <= 64 else { throw fail("a number longer than 64 characters") }
        // Exact when the digits fit in 2^53 and the power of ten is exact (Clinger's fast path).
        if exact, digits <= 15, fractionDigits <= 22 {
            let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return (negative ? -value : value, isInteger)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw fail("not a number: \(text)") }
        return (value, isInteger || value.rounded() == value)
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Skips any JSON value at the cursor, checking it is well formed.
    private mutating func skipValue(depth: Int) throws(Failure) {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            try members(depth: depth + 1) { (scanner: inout PositionEventScanner, _: Key) throws(Failure) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            guard depth + 1 <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of input in an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return }
                throw fail("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else {
            throw fail("expected \(word)")
        }
        index += count
    }
}
