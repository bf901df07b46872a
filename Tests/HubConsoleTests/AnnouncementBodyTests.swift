@testable import HubConsole
import Testing

/// An announcement's body: paragraphs, lists and bold from plain text, and nothing else.
@Suite("console: an announcement's body")
struct AnnouncementBodyTests {
    typealias R = AnnouncementBody.Run

    @Test("a blank line parts paragraphs; '- ' lines are a list; ** is bold, an unclosed ** stays text")
    func structure() {
        let body = "**活动期间**，以下产品享受促销价：\n- 全合成机油 4L\n- 柴机油 **18L** 装\n\n第二段\n第二行 ** 未闭合"
        #expect(AnnouncementBody.blocks(body) == [
            .paragraph([[R(text: "活动期间", bold: true), R(text: "，以下产品享受促销价：", bold: false)]]),
            .list([[R(text: "全合成机油 4L", bold: false)], [R(text: "柴机油 ", bold: false), R(text: "18L", bold: true), R(text: " 装", bold: false)]]),
            .paragraph([[R(text: "第二段", bold: false)], [R(text: "第二行 ** 未闭合", bold: false)]]),
        ])
    }

    @Test("markup is text: tags, entities and a broken attribute come out as the characters they are")
    func hostile() {
        let body = "<script>alert(1)</script>\n\"><img src=x onerror=alert(2)> &amp;"
        #expect(AnnouncementBody.blocks(body) == [.paragraph([[R(text: "<script>alert(1)</script>", bold: false)],
                                                               [R(text: "\"><img src=x onerror=alert(2)> &amp;", bold: false)]])])
        #expect(AnnouncementBody.blocks("\r\n\n  \n").isEmpty)
    }
}
