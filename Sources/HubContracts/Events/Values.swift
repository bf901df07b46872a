public import Foundation

/// A decimal amount or quantity, carried as the catalogue's decimal string (`"168.00"`), never as a
/// binary floating-point number. The text is kept, so values round-trip unchanged.
public struct DecimalNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let text: String
    public let value: Decimal

    /// `nil` unless `text` is a plain decimal: optional minus, digits, optional fraction.
    public init?(_ text: String) {
        guard let value = Self.plainDecimalValue(text) else { return nil }
        self.text = text
        self.value = value
    }

    public init(_ value: Decimal) {
        self.value = value
        self.text = NSDecimalNumber(decimal: value).stringValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "decimals are written as strings, e.g. \"12.50\""))
        }
        guard let parsed = DecimalNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a decimal"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool { lhs.value < rhs.value }
    public static func == (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
    public var description: String { text }

    /// The value of a plain decimal (optional minus, at most 15 digits, optionally a point and 1 to
    /// 6 digits), read digit by digit: exact, and without the locale-aware scanner of
    /// `Decimal(string:)`. `nil` for any other text.
    static func plainDecimalValue(_ text: String) -> Decimal? {
        var utf8 = text
        return utf8.withUTF8 { bytes -> Decimal? in
            var index = 0
            let negative = bytes.first == UInt8(ascii: "-")
            if negative { index = 1 }
            var significand: UInt64 = 0
            var wholeDigits = 0, fractionDigits = 0
            while index < bytes.count, bytes[index] &- 0x30 < 10 {
                significand = significand &* 10 &+ UInt64(bytes[index] &- 0x30)
                wholeDigits += 1
                index += 1
            }
            guard wholeDigits > 0, wholeDigits <= 15 else { return nil }
            if index < bytes.count {
                guard bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count else { return nil }
                index += 1
                while index < bytes.count, bytes[index] &- 0x30 < 10 {
                    significand = significand &* 10 &+ UInt64(bytes[index] &- 0x30)
                    fractionDigits += 1
                    index += 1
                }
                guard index == bytes.count, fractionDigits <= 6 else { return nil }
            }
            // Up to 21 digits: past 19 the significand wrapped, and those few are read the slow way.
            guard wholeDigits + fractionDigits <= 19 else { return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }
            return Decimal(sign: negative && significand != 0 ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
        }
    }
}

/// An amount of money in a currency.
public struct Money: Sendable, Hashable, Codable {
    public var amount: DecimalNumber
    /// ISO 4217, e.g. `CNY`.
    public var currency: String

    public init(amount: DecimalNumber, currency: String = "CNY") {
        self.amount = amount
        self.currency = currency
    }
}

/// A calendar date (`YYYY-MM-DD`, China Standard Time), kept as text.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let text: String

    public init?(_ text: String) {
        guard SchemaValidator.isDate(text) else { return nil }
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a date (YYYY-MM-DD)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.text < rhs.text }
    public var description: String { text }
}

/// Where in China something is.
public struct Region: Sendable, Hashable, Codable {
    public var province: String
    public var city: String?
    public var address: String?

    public init(province: String, city: String? = nil, address: String? = nil) {
        self.province = province
        self.city = city
        self.address = address
    }

    /// The province-level divisions by their short names, as `province` is written (for choosing one
    /// in a form; `province` itself stays open: the ERP's values are taken as they come).
    public static let provinces = [
        "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北",
        "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
    ]
}

/// WGS-84 degrees.
public struct GeoPosition: Sendable, Hashable, Codable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// A string-valued enumeration that tolerates values added after this code was written: an
/// unknown value decodes and round-trips as itself instead of failing.
public protocol OpenEnumeration: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible where RawValue == String {
    init(rawValue: String)
}

extension OpenEnumeration {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
