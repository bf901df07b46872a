import Foundation
import Synchronization

/// Checks JSON values against JSON Schema (draft 2020-12) documents, for the keywords the topic
/// catalogue uses: `$ref` (within a document and into `common.json`), `type`, `const`, `enum`,
/// string length, `pattern` and `format` (date-time, date), numeric bounds, `properties`,
/// `required`, `additionalProperties`, `items` with count bounds, `allOf`, `anyOf`, `oneOf`.
/// A `oneOf` whose branches each fix a property with `const` (the event `type`) is resolved by
/// that property, so the answer names the unknown type or the exact field that is wrong.
public struct SchemaValidator: Sendable {
    /// Documents `$ref` can point into, by name (e.g. `common.json`).
    private let documents: [String: JSONValue]

    public init(documents: [String: JSONValue]) {
        self.documents = documents
    }

    /// Every issue of `value` against `schema`; empty when it conforms. Compiles `schema` first:
    /// a schema checked more than once is compiled once with ``compile(_:)``.
    public func validate(_ value: JSONValue, against schema: JSONValue) -> [SchemaIssue] {
        validate(value, against: compile(schema))
    }

    /// Every issue of `value` against a compiled schema; empty when it conforms.
    public func validate(_ value: JSONValue, against schema: CompiledSchema) -> [SchemaIssue] {
        var walk = Walk()
        check(value, schema.root, &walk)
        return walk.issues
    }

    /// `schema` with its keywords read, its patterns compiled and its `$ref`s followed, once.
    public func compile(_ schema: JSONValue) -> CompiledSchema {
        var compiler = SchemaCompiler(documents: documents, root: schema)
        let root = compiler.node(schema, in: nil)
        return CompiledSchema(root: root, referenced: compiler.referenced)
    }

    /// Where the check is (kept as steps, written out only for an issue) and what it found.
    private struct Walk {
        enum Step {
            case key(String)
            case index(Int)
        }

        var steps: [Step] = []
        var issues: [SchemaIssue] = []

        var path: String {
            var text = ""
            for step in steps {
                switch step {
                case .key(let name): text += text.isEmpty ? name : ".\(name)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        mutating func add(_ reason: String) { issues.append(SchemaIssue(path: path, reason: reason)) }

        mutating func add(_ reason: String, at name: String) {
            steps.append(.key(name))
            add(reason)
            steps.removeLast()
        }

        /// A walk at the same place that has found nothing yet (a branch of anyOf or oneOf).
        var branch: Walk { Walk(steps: steps) }
    }

    private func check(_ value: JSONValue, _ node: SchemaNode, _ walk: inout Walk) {
        switch node.kind {
        case .anything: return
        case .nothing:
            walk.add("no value is allowed here")
            return
        case .keywords: break
        }
        if let reference = node.reference {
            guard let target = reference.target else {
                walk.add("schema error: unresolvable $ref \(reference.text)")
                return
            }
            check(value, target, &walk)
        }
        if let expected = node.type, !Self.matchesType(value, expected) {
            walk.add(Self.typeMismatch(value, expected))
            return
        }
        if let constant = node.constant, !value.isEquivalent(to: constant) {
            walk.add("must be \(constant), got \(value)")
        }
        if let allowed = node.allowed, !allowed.contains(where: { value.isEquivalent(to: $0) }) {
            let list = allowed.map(\.description).joined(separator: ", ")
            walk.add("unknown value \(value); allowed: \(list)")
        }
        switch value {
        case .string(let text): checkString(text, node, &walk)
        case .number: checkNumber(value, node, &walk)
        case .object(let members): checkObject(members, node, &walk)
        case .array(let items): checkArray(items, node, &walk)
        default: break
        }
        for sub in node.allOf {
            check(value, sub, &walk)
        }
        if let branches = node.anyOf {
            let results = branches.map { branch -> [SchemaIssue] in
                var found = walk.branch
                check(value, branch, &found)
                return found.issues
            }
            if !results.contains(where: \.isEmpty) {
                walk.issues += results.min { $0.count < $1.count } ?? []
            }
        }
        if let oneOf = node.oneOf {
            checkOneOf(value, oneOf, &walk)
        }
    }

    private func checkOneOf(_ value: JSONValue, _ oneOf: SchemaNode.OneOf, _ walk: inout Walk) {
        // Discriminated: every branch fixes the same property with const.
        if let discriminator = oneOf.discriminator, case .object(let members) = value {
            guard let tag = members[discriminator.property] else {
                walk.add("required field missing", at: discriminator.property)
                return
            }
            guard let index = discriminator.branch(for: tag) else {
                walk.add("unknown value \(tag); known: \(discriminator.known)", at: discriminator.property)
                return
            }
            check(value, oneOf.branches[index], &walk)
            return
        }
        let results = oneOf.branches.map { branch -> [SchemaIssue] in
            var found = walk.branch
            check(value, branch, &found)
            return found.issues
        }
        let matching = results.filter(\.isEmpty).count
        if matching == 0 {
            if let fewest = results.min(by: { $0.count < $1.count }) { walk.issues += fewest } else { walk.add("matches none of the allowed forms") }
        } else if matching > 1 {
            walk.add("matches \(matching) of the allowed forms; exactly one is required")
        }
    }

    private func checkString(_ text: String, _ node: SchemaNode, _ walk: inout Walk) {
        let minimum = node.minLength, maximum = node.maxLength
        if minimum != nil || maximum != nil {
            let length = text.unicodeScalars.count
            if let minimum, Double(length) < minimum {
                walk.add(minimum == 1 ? "must not be empty" : "shorter than \(Int(minimum)) characters")
            }
            if let maximum, Double(length) > maximum {
                walk.add("too long: \(length) characters, at most \(Int(maximum))")
            }
        }
        if let pattern = node.pattern, !pattern.compiled.matches(text) {
            walk.add("\(JSONValue.string(String(text.prefix(80)))) is not valid: expected \(pattern.expectation)")
        }
        if let format = node.format {
            if format == "date-time", !Self.isDateTime(text) {
                walk.add("\(JSONValue.string(String(text.prefix(80)))) is not an RFC 3339 date-time")
            } else if format == "date", !Self.isDate(text) {
                walk.add("\(JSONValue.string(String(text.prefix(80)))) is not a calendar date (YYYY-MM-DD)")
            }
        }
    }

    private func checkNumber(_ value: JSONValue, _ node: SchemaNode, _ walk: inout Walk) {
        guard !node.bounds.isEmpty, let number = value.doubleValue else { return }
        for bound in node.bounds where SchemaNode.Bound.rules[bound.rule].fails(number, bound.limit) {
            walk.add("\(value) \(SchemaNode.Bound.rules[bound.rule].words) \(bound.text)")
        }
    }

    private func checkObject(_ members: [String: JSONValue], _ node: SchemaNode, _ walk: inout Walk) {
        for name in node.required where members[name] == nil {
            walk.add("required field missing", at: name)
        }
        // Members in the object's own order; only when one is wrong are they gone through again
        // by name, so the issues always come in the same order.
        let before = walk.issues.count
        checkMembers(members, node, &walk)
        if walk.issues.count > before {
            walk.issues.removeSubrange(before...)
            checkMembers(members.sorted { $0.key < $1.key }, node, &walk)
        }
    }

    private func checkMembers(_ members: some Sequence<(key: String, value: JSONValue)>, _ node: SchemaNode, _ walk: inout Walk) {
        for (name, member) in members {
            let schema: SchemaNode
            if let declared = node.properties[name] {
                schema = declared
            } else if let additional = node.additional {
                if case .nothing = additional.kind {
                    walk.add("unknown field", at: name)
                    continue
                }
                schema = additional
            } else {
                continue
            }
            walk.steps.append(.key(name))
            check(member, schema, &walk)
            walk.steps.removeLast()
        }
    }

    private func checkArray(_ items: [JSONValue], _ node: SchemaNode, _ walk: inout Walk) {
        if let minimum = node.minItems, Double(items.count) < minimum {
            walk.add("at least \(Int(minimum)) item\(minimum == 1 ? "" : "s") required, got \(items.count)")
        }
        if let maximum = node.maxItems, Double(items.count) > maximum {
            walk.add("too many items: \(items.count), at most \(Int(maximum))")
        }
        if let schema = node.items {
            for (index, item) in items.enumerated() {
                walk.steps.append(.index(index))
                check(item, schema, &walk)
                walk.steps.removeLast()
            }
        }
    }

    private static func matchesType(_ value: JSONValue, _ expected: JSONValue) -> Bool {
        switch expected {
        case .string(let name): return matches(value, name)
        case .array(let names): return names.contains { $0.stringValue.map { matches(value, $0) } ?? false }
        default: return false
        }
    }

    private static func matches(_ value: JSONValue, _ name: String) -> Bool {
        switch value {
        case .null: name == "null"
        case .bool: name == "boolean"
        case .number: name == "number" || (name == "integer" && value.isInteger)
        case .string: name == "string"
        case .array: name == "array"
        case .object: name == "object"
        }
    }

    private static func typeMismatch(_ value: JSONValue, _ expected: JSONValue) -> String {
        let names = expected.arrayValue?.compactMap(\.stringValue).joined(separator: " or ") ?? expected.stringValue ?? "?"
        var reason = "expected \(names), got \(value.typeName) \(String(value.description.prefix(40)))"
        if names == "string", case .number = value {
            reason += " (decimals such as money and quantities are written as strings, e.g. \"12.50\")"
        }
        return reason
    }

    /// RFC 3339 full-date: `YYYY-MM-DD`, a real day.
    static func isDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.count == 10 && isDate($0[...]) }
    }

    private static func isDate(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let start = bytes.startIndex
        guard bytes.count >= 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
              let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2), let day = digits(bytes, start + 8, 2) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// RFC 3339 date-time: a full-date, `T`, `HH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`.
    static func isDateTime(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 20, isDate(bytes[0..<10]), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
                  bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  let hour = digits(bytes[...], 11, 2), let minute = digits(bytes[...], 14, 2), let second = digits(bytes[...], 17, 2),
                  hour < 24, minute < 60, second <= 60 else { return false }
            var index = 19
            if bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                guard index > fractionStart else { return false }
            }
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") { return index + 1 == bytes.count }
            guard bytes.count - index == 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHour = digits(bytes[...], index + 1, 2), let offsetMinute = digits(bytes[...], index + 4, 2) else { return false }
            return offsetHour < 24 && offsetMinute < 60
        }
    }

    /// The number `count` ASCII digits at `start` spell, or nil when one is not a digit.
    private static func digits(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard index < bytes.endIndex else { return nil }
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// Compiled patterns, shared: a schema's patterns are compiled once per process (by
/// ``SchemaPattern`` where it can, else by `NSRegularExpression`).
final class PatternCache: Sendable {
    enum Compiled: @unchecked Sendable {
        case own(SchemaPattern)
        case foundation(NSRegularExpression)
        case invalid
    }

    static let shared = PatternCache()
    private let cache = Mutex<[String: Compiled]>([:])

    func matches(_ text: String, _ pattern: String) -> Bool {
        compiled(pattern).matches(text)
    }

    /// The pattern compiled, once per process.
    func compiled(_ pattern: String) -> Compiled {
        cache.withLock { cache -> Compiled in
            if let found = cache[pattern] { return found }
            let made: Compiled = if let own = SchemaPattern(pattern) {
                .own(own)
            } else if let foundation = try? NSRegularExpression(pattern: pattern) {
                .foundation(foundation)
            } else {
                .invalid
            }
            cache[pattern] = made
            return made
        }
    }
}

extension PatternCache.Compiled {
    func matches(_ text: String) -> Bool {
        switch self {
        case .own(let own):
            return own.matches(text)
        case .foundation(let foundation):
            return foundation.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .invalid:
            return false
        }
    }
}
