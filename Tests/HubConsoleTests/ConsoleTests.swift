import Foundation
import HubContracts
@testable import HubConsole
import Testing

/// The console's pure parts: how it writes money and time for Chinese readers, its texts in both
/// languages, where it lets a sign-in send the browser, and that its templates escape what they show.
@Suite("console: formats, texts, redirects and templates")
struct ConsoleTests {
    @Test("money with ¥, thousands separators and two decimals; China time in each language")
    func formats() throws {
        #expect(ConsoleFormat.money("20160", currency: "CNY") == "¥20,160.00")
        #expect(ConsoleFormat.money("1234567.505", currency: "CNY") == "¥1,234,567.50", "banker's rounding at the half")
        #expect(ConsoleFormat.money("-0.4", currency: "USD") == "-USD 0.40")
        #expect(ConsoleFormat.money("abc") == "¥abc", "text that is no number stays visible as it came")
        let instant = try #require(Timestamp(parsing: "2026-12-31T16:05:00Z"))
        #expect(ConsoleFormat.time(instant, .chinese) == "2027年1月1日 00:05", "UTC+8 crosses the new year")
        #expect(ConsoleFormat.time(instant, .english) == "2027-01-01 00:05")
        #expect(ConsoleFormat.time(nil, .chinese) == "—")
    }

    @Test("every text the templates name exists, in both languages, and none is empty")
    func texts() throws {
        for (key, text) in ConsoleText.table {
            #expect(!text.zh.isEmpty && !text.en.isEmpty, "\(key)")
        }
        let directory = try #require(Bundle.module.url(forResource: "Templates", withExtension: nil, subdirectory: nil)
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/HubConsole/Templates"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 10)
        let pattern = try Regex(#"\{\{t\.([A-Za-z0-9.\-]+)\}\}"#)
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: pattern) {
                let key = String(text[match.range].dropFirst(4).dropLast(2))
                #expect(ConsoleText.table[key] != nil, "\(name) names t.\(key), which has no text")
            }
        }
        #expect(ConsoleLanguage.of(query: nil, cookie: nil) == .chinese, "Chinese unless asked")
        #expect(ConsoleLanguage.of(query: "en", cookie: "zh-CN") == .english, "the query wins over the cookie")
        #expect(ConsoleLanguage.of(query: "fr", cookie: nil) == .chinese)
    }

    @Test("a truck is silent when it is on a shipment and has not reported for 30 minutes, or never")
    func silentTrucks() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(!Console.isSilent(onShipment: true, lastReport: now.addingTimeInterval(-29 * 60), now: now))
        #expect(Console.isSilent(onShipment: true, lastReport: now.addingTimeInterval(-31 * 60), now: now))
        #expect(Console.isSilent(onShipment: true, lastReport: nil, now: now))
        #expect(!Console.isSilent(onShipment: false, lastReport: nil, now: now), "a truck in the yard may keep quiet")
    }

    @Test("after signing in the browser goes only to a page of this site")
    func safeNext() {
        #expect(ConsoleResponse.safeNext("/orders/O-1?x=1") == "/orders/O-1?x=1")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/sign-in?next=/x", "/a\nb", nil] {
            #expect(ConsoleResponse.safeNext(hostile) == "/", "\(hostile ?? "nil")")
        }
    }

    @Test("templates load, and what a page shows is escaped for HTML")
    func escaping() throws {
        let templates = try ConsoleTemplates()
        let html = templates.page("message", ["message": "<script>alert(1)</script>", "title": "t\"itle", "t": ConsoleText.strings(.chinese),
                                              "lang": "zh-CN", "statusLabels": "{}"])
        #expect(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<title>t&quot;itle · LubeHub</title>"))
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains(#"<html lang="zh-CN">"#))
    }
}

@Suite("console: page contexts")
struct ConsoleContextTests {
    @Test("an empty text is no value: a section over it does not show, nested or not")
    func emptyTextsArePruned() throws {
        let pruned = Console.pruned(["next": "", "q": "x", "rows": [["parent": "", "id": "D1"]], "inner": ["a": ""], "flag": false])
        #expect(pruned["next"] == nil && pruned["q"] as? String == "x" && pruned["flag"] as? Bool == false)
        #expect((pruned["rows"] as? [[String: Any]])?.first?["parent"] == nil && (pruned["rows"] as? [[String: Any]])?.first?["id"] as? String == "D1")
        #expect((pruned["inner"] as? [String: Any])?.isEmpty == true)
        let templates = try ConsoleTemplates()
        let html = templates.page("orders", Console.pruned(["next": "", "empty": true, "t": ConsoleText.strings(.chinese), "statusLabels": "{}"]))
        #expect(!html.contains("rel=\"next\""), "no next-page link for an empty cursor")
    }
}
