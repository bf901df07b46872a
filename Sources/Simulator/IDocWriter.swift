/// Writes IDoc-XML documents as SAP's ports send them: the control record EDI_DC40 with a fresh
/// document number (DOCNUM, 16 digits) from the ERP system SAPPRD to LUBEHUB, then the data segments.
struct IDocWriter: Sendable {
    private var next: Int

    init(firstNumber: Int) {
        next = firstNumber
    }

    mutating func document(_ type: String, _ messageType: String, _ body: String, created: (date: String, time: String)) -> [UInt8] {
        let number = String(next)
        next += 1
        let docnum = String(repeating: "0", count: max(0, 16 - number.count)) + number
        return Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <\(type)><IDOC BEGIN="1"><EDI_DC40 SEGMENT="1"><TABNAM>EDI_DC40</TABNAM><DOCNUM>\(docnum)</DOCNUM><DIRECT>2</DIRECT><IDOCTYP>\(type)</IDOCTYP>\
            <MESTYP>\(messageType)</MESTYP><SNDPOR>SAPPRD</SNDPOR><SNDPRT>LS</SNDPRT><SNDPRN>SAPPRD</SNDPRN><RCVPOR>LUBEHUB</RCVPOR><RCVPRT>LS</RCVPRT>\
            <RCVPRN>LUBEHUB</RCVPRN><CREDAT>\(created.date)</CREDAT><CRETIM>\(created.time)</CRETIM></EDI_DC40>\(body)</IDOC></\(type)>
            """.utf8)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
