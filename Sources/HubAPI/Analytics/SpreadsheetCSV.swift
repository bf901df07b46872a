/// CSV for spreadsheets (RFC 4180, UTF-8 with a byte-order mark so Excel reads Chinese): every
/// cell quoted, and a cell a spreadsheet would take for a formula — one starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return — written with a leading `'`, so a dealer's name such as
/// `=HYPERLINK(…)` is shown, never run. A plain decimal (`-12.50`) is a number and stays as it is.
public enum SpreadsheetCSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        var text = "\u{FEFF}" + line(header)
        for row in rows { text += line(row) }
        return text
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// One cell, neutralised and quoted.
    public static func cell(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first), !isPlainDecimal(value) { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `-?digits[.digits]`: what a figure is written as.
    static func isPlainDecimal(_ value: String) -> Bool {
        var rest = Substring(value)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
