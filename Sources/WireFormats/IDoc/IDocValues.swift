public import Foundation
public import HubContracts

/// Field values as SAP writes them, and the hub's identifiers for SAP's numbers.
public enum IDocValues {
    /// YYYYMMDD to a calendar date.
    public static func date(_ text: String) -> CalendarDate? {
        let digits = Array(text.utf8)
        guard digits.count == 8, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return CalendarDate("\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))")
    }

    /// SAP quantities and amounts: no thousands separators; a trailing minus sign is SAP's negative.
    public static func decimal(_ text: String) -> DecimalNumber? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("-") { return DecimalNumber("-" + trimmed.dropLast()) }
        return DecimalNumber(trimmed)
    }

    /// A date (YYYYMMDD) and a time (hhmmss) in China Standard Time, as an instant.
    public static func instant(date: String?, time: String?) -> Timestamp? {
        guard let date, let time, date.count == 8, time.count == 6,
              let year = Int(date.prefix(4)), let month = Int(date.dropFirst(4).prefix(2)), let day = Int(date.suffix(2)),
              let hour = Int(time.prefix(2)), let minute = Int(time.dropFirst(2).prefix(2)), let second = Int(time.suffix(2)),
              let seconds = CivilCalendar.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                                  offset: CivilCalendar.chinaStandardTimeOffset) else { return nil }
        return Timestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The hub's dealer id for an SAP customer number: `D` + KUNNR without leading zeros.
    public static func dealerId(_ customer: String) -> String {
        let digits = customer.drop { $0 == "0" }
        return "D" + (digits.isEmpty ? "0" : digits)
    }

    /// The SAP customer number (10 digits, zero-padded) of a hub dealer id `D<digits>`; `nil` for
    /// an id the ERP did not issue.
    public static func customerNumber(_ dealerId: String) -> String? {
        guard dealerId.first == "D" else { return nil }
        let digits = dealerId.dropFirst()
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(repeating: "0", count: 10 - digits.count) + digits
    }

    /// SAP's line numbers (POSNR/POSEX, e.g. `000010`) as an integer.
    public static func lineNumber(_ text: String?) -> Int? {
        guard let text, !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// The customer-facing product line of a distribution channel (VTWEG).
    public static func productLine(channel: String?) -> ProductLine? {
        switch channel {
        case "10": .automotivePackaged
        case "20": .industrialPackaged
        case "30": .bulk
        default: nil
        }
    }

    /// The province of an SAP region key for China (REGIO / REGION): the two-digit GB/T 2260
    /// province code, optionally followed by a zero (`31`, `310` = 上海).
    public static func province(region: String?) -> String? {
        guard let region, region.count == 2 || (region.count == 3 && region.hasSuffix("0")) else { return nil }
        return provinces[String(region.prefix(2))]
    }

    static let provinces: [String: String] = [
        "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林", "23": "黑龙江",
        "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东", "41": "河南",
        "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
        "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾",
        "81": "香港", "82": "澳门",
    ]
}
