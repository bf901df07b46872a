/// RFC 4180 CSV: comma separator, fields in double quotes may hold commas, quotes ("") and line
/// breaks; rows end with CRLF or LF. Each row keeps its 1-based row number and its raw bytes (so a
/// bad row can be dead-lettered alone, as it was sent).
public struct CSVRow: Equatable, Sendable {
    public var number: Int
    public var fields: [String]
    public var raw: [UInt8]
}

public enum CSVRows {
    public struct Failure: Error, Equatable, Sendable {
        public var row: Int
        public var reason: String
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> [CSVRow] {
        var rows: [CSVRow] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var rowStart = 0
        var index = 0
        var rowNumber = 1
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow(at end: Int) {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                rows.append(CSVRow(number: rowNumber, fields: fields, raw: Array(bytes[rowStart..<end])))
            }
            fields.removeAll(keepingCapacity: true)
            rowNumber += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty else { throw Failure(row: rowNumber, reason: "a quote inside an unquoted field") }
                inQuotes = true
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                endRow(at: index)
                index += 1
                rowStart = index + 1
            case UInt8(ascii: "\n"):
                endRow(at: index)
                rowStart = index + 1
            default:
                field.append(byte)
            }
            index += 1
        }
        guard !inQuotes else { throw Failure(row: rowNumber, reason: "a quoted field is not closed") }
        if rowStart < bytes.count || !field.isEmpty || !fields.isEmpty { endRow(at: bytes.count) }
        return rows
    }
}
