import Foundation
/// An announcement's body as the console shows it: plain text with a little structure — a blank
/// line between paragraphs, lines starting `- ` a list, `**…**` bold — turned into blocks of text
/// runs that the templates write escaped. Nothing in the text becomes markup: `<script>` stays the
/// eight characters it is.
enum AnnouncementBody {
    struct Run: Equatable {
        var text: String
        var bold: Bool
    }

    enum Block: Equatable {
        case paragraph([[Run]])  // its lines
        case list([[Run]])  // its items
    }

    static func blocks(_ body: String) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [[Run]] = []
        var items: [[Run]] = []
        func close() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph)) }
            if !items.isEmpty { blocks.append(.list(items)) }
            (paragraph, items) = ([], [])
        }
        for raw in body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                close()
            } else if line.hasPrefix("- ") {
                if !paragraph.isEmpty { blocks.append(.paragraph(paragraph)); paragraph = [] }
                items.append(runs(String(line.dropFirst(2))))
            } else {
                if !items.isEmpty { blocks.append(.list(items)); items = [] }
                paragraph.append(runs(line))
            }
        }
        close()
        return blocks
    }

    /// A line's runs: `**` opens and closes bold; an unclosed `**` is text.
    static func runs(_ line: String) -> [Run] {
        let parts = line.components(separatedBy: "**")
        guard parts.count >= 3 else { return [Run(text: line, bold: false)] }
        var runs: [Run] = []
        // An odd number of parts means every ** was closed; otherwise the last ** stays text.
        let closed = parts.count % 2 == 1 ? parts.count : parts.count - 1
        for index in 0..<closed where !parts[index].isEmpty { runs.append(Run(text: parts[index], bold: index % 2 == 1)) }
        if closed < parts.count { runs.append(Run(text: "**" + parts[closed], bold: false)) }
        return runs
    }

    /// The blocks as the template reads them.
    static func context(_ body: String) -> [[String: Any]] {
        func lines(_ lines: [[Run]]) -> [[String: Any]] {
            lines.map { ["runs": $0.map { ["text": $0.text, "bold": $0.bold] as [String: Any] }] }
        }
        return blocks(body).map { block in
            switch block {
            case .paragraph(let content): ["paragraph": ["lines": lines(content)]]
            case .list(let content): ["list": ["items": lines(content)]]
            }
        }
    }
}
