import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One segment of an IDoc: its name, its fields (child elements with text), and child segments.
public struct IDocSegment: Sendable, Equatable {
    public var name: String
    public var fields: [String: String]
    public var children: [IDocSegment]

    public subscript(field: String) -> String? {
        guard let value = fields[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func segments(_ name: String) -> [IDocSegment] { children.filter { $0.name == name } }
}

/// An IDoc as an SAP XML port writes it: the root element named after the basic type, one `IDOC`
/// element, the `EDI_DC40` control record, then the data segments. Parsed with the XML parser in
/// swift-corelibs-foundation (libxml2), after refusing what an integration must never accept: a
/// DTD or entity declaration (external entities), and any encoding but UTF-8.
public struct IDocDocument: Sendable, Equatable {
    public var basicType: String
    public var control: [String: String]
    public var segments: [IDocSegment]

    public var messageType: String? { control["MESTYP"] }
    public var documentNumber: String? { control["DOCNUM"] }

    public func segments(_ name: String) -> [IDocSegment] { segments.filter { $0.name == name } }

    public static let maximumSize = 1 << 20

    public static func parse(_ bytes: [UInt8]) throws(IDocError) -> IDocDocument {
        guard bytes.count <= maximumSize else { throw IDocError("document of \(bytes.count) bytes is larger than \(maximumSize)") }
        try checkPrologue(bytes)
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw IDocError("not well-formed XML: \(builder.failure ?? parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)")
        }
        guard let idoc = root.children.first(where: { $0.name == "IDOC" }) else { throw IDocError("missing segment IDOC under \(root.name)") }
        guard let control = idoc.children.first(where: { $0.name == "EDI_DC40" }) else { throw IDocError("missing segment EDI_DC40 (the control record)") }
        return IDocDocument(basicType: root.name, control: control.fields, segments: idoc.children.filter { $0.name != "EDI_DC40" })
    }

    /// UTF-8 only (declared or not), no DOCTYPE, no ENTITY, no processing instruction but the
    /// declaration, anywhere. The declaration is read in the first 4 KiB (it comes first); the
    /// markup refused is looked for in the whole document (a long comment must not carry a DTD
    /// past the check), on the bytes: it is ASCII.
    static func checkPrologue(_ bytes: [UInt8]) throws(IDocError) {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw IDocError("encoding UTF-16 is not supported: the ERP's XML port must send UTF-8")
        }
        let head = bytes.prefix(4096)
        if let declaration = firstIndex(of: "<?xml", in: head), let end = firstIndex(of: "?>", in: head[(declaration + 5)...]),
           let encoding = firstIndex(of: "encoding", in: head[(declaration + 5)..<end]) {
            let rest = head[(encoding + 8)..<end].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "=") }
            let quote = rest.first
            let value = String(decoding: rest.dropFirst().prefix { $0 != quote }, as: UTF8.self)
            guard value.uppercased() == "UTF-8" || value.uppercased() == "UTF8" else {
                throw IDocError("encoding \(value) is not supported: the ERP's XML port must send UTF-8 (the document was not read, so nothing was mangled)")
            }
        }
        let whole = bytes[...]
        // Processing instructions: the XML declaration at the start is the only one an IDoc has.
        // Any other is refused before the parser sees it: swift-corelibs-foundation's XMLParser
        // crashes (strlen of NULL) on one without data, such as `<?x?>` (fuzz-idoc found it).
        var search = whole
        while let at = firstIndex(of: "<?", in: search) {
            let isDeclaration = at == bytes.startIndex + (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0) && firstIndex(of: "<?xml ", in: bytes[at...].prefix(6)) == at
            if !isDeclaration { throw IDocError("a processing instruction (<? at byte \(at)) is refused: IDoc-XML has none but the XML declaration at the start") }
            search = whole[(at + 2)...]
        }
        if let at = firstIndex(of: "<!DOCTYPE", in: whole, ignoringCase: true) {
            throw IDocError("a DTD (<!DOCTYPE at byte \(at)) is refused: IDoc-XML needs none, and it can carry external entities")
        }
        if let at = firstIndex(of: "<!ENTITY", in: whole, ignoringCase: true) { throw IDocError("an entity declaration (<!ENTITY at byte \(at)) is refused") }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw IDocError("the document is not valid UTF-8 (a different encoding declared as UTF-8?)")
        }
    }

    /// Where the ASCII text `pattern` first starts in `bytes`; `ignoringCase` compares ASCII letters
    /// without case.
    private static func firstIndex(of pattern: StaticString, in bytes: ArraySlice<UInt8>, ignoringCase: Bool = false) -> Int? {
        let needle = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        @inline(__always) func folded(_ byte: UInt8) -> UInt8 {
            ignoringCase && byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
        }
        var start = bytes.startIndex
        while start <= bytes.endIndex - needle.count {
            if folded(bytes[start]) == first {
                var offset = 1
                while offset < needle.count, folded(bytes[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return start }
            }
            start += 1
        }
        return nil
    }

    /// The most text one element may hold (an IDoc field is at most a few hundred characters).
    public static let maximumFieldText = 64 << 10
    /// The most text a document may hold in all: what the parser hands over, after any
    /// character references, can never grow past this.
    public static let maximumText = 2 << 20

    /// Builds the element tree: an element with only text is a field of its parent segment.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        private var stack: [(name: String, fields: [String: String], children: [IDocSegment], text: String, hasElements: Bool)] = []
        private var textSeen = 0
        var root: IDocSegment?
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if !stack.isEmpty { stack[stack.count - 1].hasElements = true }
            stack.append((elementName, [:], [], "", false))
            if stack.count > 32 {
                failure = "nested deeper than 32 elements"
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty, failure == nil else { return }
            let count = string.utf8.count
            textSeen += count
            if textSeen > IDocDocument.maximumText || stack[stack.count - 1].text.utf8.count + count > IDocDocument.maximumFieldText {
                failure = textSeen > IDocDocument.maximumText ? "more than \(IDocDocument.maximumText) bytes of text"
                    : "element \(stack[stack.count - 1].name) holds more than \(IDocDocument.maximumFieldText) bytes of text"
                parser.abortParsing()
                return
            }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = stack.popLast() else { return }
            let segment = IDocSegment(name: element.name, fields: element.fields, children: element.children)
            guard !stack.isEmpty else {
                root = segment
                return
            }
            if element.hasElements || element.name.hasPrefix("E1") || element.name.hasPrefix("E2") || element.name == "EDI_DC40" || element.name == "IDOC" {
                stack[stack.count - 1].children.append(segment)
            } else {
                stack[stack.count - 1].fields[element.name] = element.text
            }
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? { nil }
    }
}

/// What is wrong with an IDoc, naming the segment or field.
public struct IDocError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
