public import HubContracts
import Foundation

/// How the console writes numbers, money and times for its readers: China time (UTC+8, no
/// daylight saving), `2026年11月29日 10:15` in Chinese and `2026-11-29 10:15` in English;
/// money as `¥20,160.00`; quantities as the ERP sent them.
public enum ConsoleFormat {
    static let chinaOffsetSeconds = 8 * 3600

    /// An RFC 3339 UTC time in China time; the text unchanged when it is not one.
    public static func time(_ text: String?, _ language: ConsoleLanguage) -> String {
        guard let text, !text.isEmpty else { return "—" }
        guard let instant = Timestamp(parsing: text) else { return text }
        return time(instant, language)
    }

    public static func time(_ instant: Timestamp, _ language: ConsoleLanguage) -> String {
        let seconds = Int64(instant.date.timeIntervalSince1970.rounded(.down)) + Int64(chinaOffsetSeconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        let (hour, minute) = (secondOfDay / 3600, secondOfDay % 3600 / 60)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        switch language {
        case .chinese: return "\(year)年\(month)月\(day)日 \(two(hour)):\(two(minute))"
        case .english: return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
        }
    }

    /// Money with its currency sign and thousands separators, two decimals.
    public static func money(_ money: Money?) -> String {
        guard let money else { return "—" }
        return Self.money(money.amount.text, currency: money.currency)
    }

    /// A fraction (`0.8123`) as a percentage with one decimal (`81.2%`); `—` without one.
    public static func percent(_ fraction: String?) -> String {
        guard let fraction, var value = Decimal(string: fraction) else { return "—" }
        value *= 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 1, .plain)
        let text = "\(rounded)"
        return (text.contains(".") ? text : text + ".0") + "%"
    }

    /// Litres (`12345.678`) whole, with thousands separators and the unit (`12,346 L`).
    public static func volume(_ litres: String) -> String { whole(litres, unit: "L") }

    /// Kilograms whole, as ``volume(_:)`` (`1,200 kg`).
    public static func weight(_ kilograms: String) -> String { whole(kilograms, unit: "kg") }

    static func whole(_ amount: String, unit: String) -> String {
        guard var value = Decimal(string: amount) else { return amount + " " + unit }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        let digits = "\(rounded < 0 ? -rounded : rounded)"
        var grouped = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (rounded < 0 ? "-" : "") + String(grouped.reversed()) + " " + unit
    }

    public static func money(_ amount: String, currency: String = "CNY") -> String {
        let sign = currency == "CNY" ? "¥" : currency + " "
        guard let value = Decimal(string: amount) else { return sign + amount }
        let negative = value < 0
        var rounded = Decimal()
        var magnitude = negative ? -value : value
        NSDecimalRound(&rounded, &magnitude, 2, .bankers)
        let parts = "\(rounded)".split(separator: ".", maxSplits: 1)
        let whole = String(parts.first ?? "0")
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count < 2 { fraction += "0" }
        var grouped = ""
        for (index, digit) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + sign + String(grouped.reversed()) + "." + fraction
    }
}
