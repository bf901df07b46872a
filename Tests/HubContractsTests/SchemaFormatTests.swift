@testable import HubContracts
import Testing

@Suite("schema formats")
struct SchemaFormatTests {
    @Test("date-time is RFC 3339: a real day, T, a time, an optional fraction, Z or an offset", arguments: [
        ("2026-11-29T02:15:00Z", true), ("2026-11-29T02:15:00.123456Z", true), ("2026-11-29t02:15:00+08:00", true), ("2024-02-29T23:59:60z", true),
        ("2026-11-29 02:15:00Z", false), ("2026-11-29T02:15:00", false), ("2026-11-29T02:15:00.Z", false), ("2025-02-29T00:00:00Z", false),
        ("2026-11-29T24:00:00Z", false), ("2026-11-29T02:15:00Z ", false), ("2026-11-29T02:15:00+0800", false), ("2026-1-029T02:15:00Z", false),
        ("２０２６-11-29T02:15:00Z", false), ("2026-11-29T02:15:00+08:60", false),
    ])
    func dateTime(text: String, valid: Bool) {
        #expect(SchemaValidator.isDateTime(text) == valid, "\(text)")
    }

    @Test("date is YYYY-MM-DD and a day that exists", arguments: [
        ("2026-11-29", true), ("2024-02-29", true), ("2000-02-29", true), ("1900-02-29", false), ("2026-1-011", false), ("-202-01-01", false),
        ("2026-13-01", false), ("2026-04-31", false), ("2026-11-29Z", false), ("2026/11/29", false), ("", false),
    ])
    func date(text: String, valid: Bool) {
        #expect(SchemaValidator.isDate(text) == valid, "\(text)")
    }
}
