import Foundation

/// A schema ready to check values against: every keyword read once, patterns compiled, `$ref`s
/// followed. Made by ``SchemaValidator/compile(_:)``; the topic catalogue compiles each topic's
/// schema when it loads, so a message's check reads no keyword by name.
public struct CompiledSchema: Sendable {
    let root: SchemaNode
    /// Every node a `$ref` leads to, held here: a reference holds its target without owning it,
    /// since a recursive schema's references lead back up the tree, and owning links would make a
    /// cycle that outlives the schema (LeakSanitizer found it under the fuzzers).
    let referenced: [SchemaNode]
}

/// One schema object (or `true`/`false`) of a compiled schema.
final class SchemaNode: Sendable {
    enum Kind { case anything, nothing, keywords }

    /// A `$ref`: its text, and the schema it names (nil when it names nothing).
    struct Reference: Sendable {
        let text: String
        let box: ReferenceBox
        var target: SchemaNode? { box.target }
    }

    struct Pattern: Sendable {
        let compiled: PatternCache.Compiled
        /// What an issue says was expected: the schema's `description`, else the pattern.
        let expectation: String
    }

    /// A numeric bound: which rule of ``rules``, its limit, and the bound as the schema writes it.
    struct Bound: Sendable {
        let rule: Int
        let limit: Double
        let text: String

        static let rules: [(keyword: String, fails: @Sendable (Double, Double) -> Bool, words: String)] = [
            ("minimum", { $0 < $1 }, "is below the minimum"), ("maximum", { $0 > $1 }, "is above the maximum"),
            ("exclusiveMinimum", { $0 <= $1 }, "must be greater than"), ("exclusiveMaximum", { $0 >= $1 }, "must be less than"),
        ]
    }

    struct OneOf: Sendable {
        let branches: [SchemaNode]
        let discriminator: Discriminator?
    }

    /// A `oneOf` whose branches each fix `property` with `const`: the branch for a value is found by it.
    struct Discriminator: Sendable {
        let property: String
        /// Each branch's `const`, in order.
        let tags: [JSONValue]
        /// The first branch of each string tag.
        let byString: [String: Int]
        /// The tags, listed for an issue.
        let known: String

        /// The index of the first branch whose tag `tag` is.
        func branch(for tag: JSONValue) -> Int? {
            if case .string(let text) = tag { return byString[text] }
            return tags.firstIndex(where: tag.isEquivalent)
        }
    }

    let kind: Kind
    let reference: Reference?
    let type: JSONValue?
    let constant: JSONValue?
    let allowed: [JSONValue]?
    let minLength: Double?
    let maxLength: Double?
    let pattern: Pattern?
    let format: String?
    let bounds: [Bound]
    let properties: [String: SchemaNode]
    let required: [String]
    let additional: SchemaNode?
    let minItems: Double?
    let maxItems: Double?
    let items: SchemaNode?
    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]?
    let oneOf: OneOf?

    init(kind: Kind, reference: Reference? = nil, type: JSONValue? = nil, constant: JSONValue? = nil, allowed: [JSONValue]? = nil,
         minLength: Double? = nil, maxLength: Double? = nil, pattern: Pattern? = nil, format: String? = nil, bounds: [Bound] = [],
         properties: [String: SchemaNode] = [:], required: [String] = [], additional: SchemaNode? = nil,
         minItems: Double? = nil, maxItems: Double? = nil, items: SchemaNode? = nil,
         allOf: [SchemaNode] = [], anyOf: [SchemaNode]? = nil, oneOf: OneOf? = nil) {
        self.kind = kind
        self.reference = reference
        self.type = type
        self.constant = constant
        self.allowed = allowed
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
        self.bounds = bounds
        self.properties = properties
        self.required = required
        self.additional = additional
        self.minItems = minItems
        self.maxItems = maxItems
        self.items = items
        self.allOf = allOf
        self.anyOf = anyOf
        self.oneOf = oneOf
    }
}

/// Where a `$ref` leads. Filled in once, while its schema is compiled (a reference can lead back
/// to a schema being compiled), and never changed after ``SchemaValidator/compile(_:)`` returns.
/// Not owning: the target lives as long as the ``CompiledSchema`` that holds it in `referenced`,
/// and a box is reached only through that schema's nodes, so the target is always alive when read
/// (`unowned(unsafe)`: no reference count touched on the validator's path).
final class ReferenceBox: @unchecked Sendable {
    unowned(unsafe) var target: SchemaNode?
}

/// Compiles one schema: its own `#…` references and those into named documents each compiled once.
struct SchemaCompiler {
    let documents: [String: JSONValue]
    let root: JSONValue
    /// References already followed, by document (nil: the schema being compiled) and pointer.
    private var followed: [String: ReferenceBox] = [:]
    /// The nodes references lead to, for the compiled schema to hold.
    private(set) var referenced: [SchemaNode] = []

    init(documents: [String: JSONValue], root: JSONValue) {
        self.documents = documents
        self.root = root
    }

    /// `schema`, found in the named document (nil: the schema being compiled).
    mutating func node(_ schema: JSONValue, in document: String?) -> SchemaNode {
        guard case .object(let keywords) = schema else {
            if case .bool(false) = schema { return SchemaNode(kind: .nothing) }
            return SchemaNode(kind: .anything)
        }
        func nodes(_ list: JSONValue?) -> [SchemaNode]? {
            list?.arrayValue.map { $0.map { node($0, in: document) } }
        }
        var bounds: [SchemaNode.Bound] = []
        for (index, rule) in SchemaNode.Bound.rules.enumerated() {
            if let bound = keywords[rule.keyword], let limit = bound.doubleValue { bounds.append(.init(rule: index, limit: limit, text: bound.description)) }
        }
        let pattern = keywords["pattern"]?.stringValue.map { pattern in
            SchemaNode.Pattern(compiled: PatternCache.shared.compiled(pattern), expectation: keywords["description"]?.stringValue ?? "the pattern \(pattern)")
        }
        let oneOf = keywords["oneOf"]?.arrayValue.map { branches in
            let compiled = branches.map { node($0, in: document) }
            return SchemaNode.OneOf(branches: compiled, discriminator: Self.discriminator(branches))
        }
        return SchemaNode(
            kind: .keywords,
            reference: keywords["$ref"]?.stringValue.map { reference(to: $0, from: document) },
            type: keywords["type"], constant: keywords["const"], allowed: keywords["enum"]?.arrayValue,
            minLength: keywords["minLength"]?.doubleValue, maxLength: keywords["maxLength"]?.doubleValue,
            pattern: pattern, format: keywords["format"]?.stringValue, bounds: bounds,
            properties: (keywords["properties"]?.objectValue ?? [:]).mapValues { node($0, in: document) },
            required: keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            additional: keywords["additionalProperties"].map { node($0, in: document) },
            minItems: keywords["minItems"]?.doubleValue, maxItems: keywords["maxItems"]?.doubleValue,
            items: keywords["items"].map { node($0, in: document) },
            allOf: nodes(keywords["allOf"]) ?? [], anyOf: nodes(keywords["anyOf"]), oneOf: oneOf
        )
    }

    /// A `$ref` from a schema in `document`: `#pointer` stays in it, `name#pointer` goes to a named document.
    private mutating func reference(to text: String, from document: String?) -> SchemaNode.Reference {
        let parts = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts.first.map(String.init) ?? ""
        let targetDocument = base.isEmpty ? document : base
        let pointer = parts.count == 2 ? parts[1] : nil
        let key = "\(targetDocument ?? "")#\(pointer ?? "")"
        if let box = followed[key] { return .init(text: text, box: box) }
        let box = ReferenceBox()
        followed[key] = box
        let documentValue: JSONValue? = if let targetDocument { documents[targetDocument] } else { root }
        if let documentValue, let target = Self.follow(pointer, in: documentValue) {
            let compiled = node(target, in: targetDocument)
            referenced.append(compiled)
            box.target = compiled
        }
        return .init(text: text, box: box)
    }

    /// The node a JSON pointer names in `document` (the document itself without one).
    private static func follow(_ pointer: Substring?, in document: JSONValue) -> JSONValue? {
        guard let pointer else { return document }
        var node = document
        for token in pointer.split(separator: "/") {
            let key = token.contains("~") ? token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String(token)
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    /// The property every branch fixes with `const`, if there is one.
    private static func discriminator(_ branches: [JSONValue]) -> SchemaNode.Discriminator? {
        guard let first = branches.first?["properties"]?.objectValue else { return nil }
        for (name, schema) in first where schema["const"] != nil {
            let tags = branches.compactMap { $0["properties"]?[name]?["const"] }
            guard tags.count == branches.count else { continue }
            var byString: [String: Int] = [:]
            for (index, tag) in tags.enumerated() {
                if case .string(let text) = tag, byString[text] == nil { byString[text] = index }
            }
            return .init(property: name, tags: tags, byString: byString, known: tags.map(\.description).joined(separator: ", "))
        }
        return nil
    }
}
