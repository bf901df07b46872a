import Foundation

/// A JSON Schema `pattern` compiled once: the ECMA-262 subset the catalogue writes (anchors,
/// ASCII character classes and literals, `.`, groups with alternatives, `(?=…)` look-ahead,
/// the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`) is matched here over the text's
/// UTF-8 bytes by backtracking; anything else is left to `NSRegularExpression`. As in ECMA-262,
/// `$` is the end of the text (ICU would also accept a line break before it).
struct SchemaPattern: Sendable {
    enum Node: Sendable {
        case bytes(ByteSet)
        case anyScalar
        case start
        case end
        case group([[Element]])
        case lookAhead([[Element]])
    }

    struct Element: Sendable {
        var node: Node
        var min: Int
        var max: Int
    }

    /// ASCII bytes as a 128-bit set.
    struct ByteSet: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
    }

    let alternatives: [[Element]]
    let anchored: Bool

    /// The compiled pattern, or nil when it uses something this matcher does not do.
    init?(_ pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let alternatives = parser.alternatives(), parser.position == parser.bytes.count else { return nil }
        self.alternatives = alternatives
        anchored = alternatives.allSatisfy { if case .start = $0.first?.node { return true } else { return false } }
    }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            let matcher = Matcher(text: buffer)
            let starts = anchored ? 0...0 : 0...buffer.count
            return starts.contains { start in alternatives.contains { matcher.sequence($0[...], at: start) { _ in true } } }
        }
    }

    private struct Matcher {
        let text: UnsafeBufferPointer<UInt8>

        func sequence(_ elements: ArraySlice<Element>, at position: Int, then next: (Int) -> Bool) -> Bool {
            guard let first = elements.first else { return next(position) }
            let rest = elements.dropFirst()
            if case .bytes(let set) = first.node {
                // A class repeated: take as many as allowed, then give back one at a time.
                var count = 0
                while count < first.max, position + count < text.count, set.contains(text[position + count]) { count += 1 }
                while count >= first.min {
                    if sequence(rest, at: position + count, then: next) { return true }
                    count -= 1
                }
                return false
            }
            return repeated(first, count: 0, at: position) { sequence(rest, at: $0, then: next) }
        }

        func repeated(_ element: Element, count: Int, at position: Int, then next: (Int) -> Bool) -> Bool {
            if count < element.max, once(element.node, at: position, then: { after in
                (after != position || count < element.min) && repeated(element, count: count + 1, at: after, then: next)
            }) {
                return true
            }
            return count >= element.min && next(position)
        }

        func once(_ node: Node, at position: Int, then next: (Int) -> Bool) -> Bool {
            switch node {
            case .bytes(let set):
                return position < text.count && set.contains(text[position]) && next(position + 1)
            case .anyScalar:
                guard position < text.count, text[position] != UInt8(ascii: "\n"), text[position] != UInt8(ascii: "\r") else { return false }
                var after = position + 1
                while after < text.count, text[after] & 0xC0 == 0x80 { after += 1 }
                return next(after)
            case .start:
                return position == 0 && next(position)
            case .end:
                return position == text.count && next(position)
            case .group(let alternatives):
                return alternatives.contains { sequence($0[...], at: position, then: next) }
            case .lookAhead(let alternatives):
                return alternatives.contains { sequence($0[...], at: position) { _ in true } } && next(position)
            }
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func alternatives() -> [[Element]]? {
            var all: [[Element]] = []
            var sequence: [Element] = []
            while let byte = current, byte != UInt8(ascii: ")") {
                if byte == UInt8(ascii: "|") {
                    all.append(sequence)
                    sequence = []
                    position += 1
                    continue
                }
                guard let node = atom(), let (min, max) = quantifier() else { return nil }
                sequence.append(Element(node: node, min: min, max: max))
            }
            all.append(sequence)
            return all
        }

        mutating func atom() -> Node? {
            guard let byte = current, byte < 128 else { return nil }
            position += 1
            switch byte {
            case UInt8(ascii: "^"): return .start
            case UInt8(ascii: "$"): return .end
            case UInt8(ascii: "."): return .anyScalar
            case UInt8(ascii: "["): return characterClass()
            case UInt8(ascii: "("):
                var lookAhead = false
                if current == UInt8(ascii: "?") {
                    guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "=") || bytes[position + 1] == UInt8(ascii: ":") else { return nil }
                    lookAhead = bytes[position + 1] == UInt8(ascii: "=")
                    position += 2
                }
                guard let inner = alternatives(), current == UInt8(ascii: ")") else { return nil }
                position += 1
                return lookAhead ? .lookAhead(inner) : .group(inner)
            case UInt8(ascii: "\\"):
                guard let set = escape() else { return nil }
                return .bytes(set)
            case UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "]"):
                return nil
            default:
                var set = ByteSet()
                set.insert(byte)
                return .bytes(set)
            }
        }

        /// After a backslash: a digit class or an escaped punctuation character.
        mutating func escape() -> ByteSet? {
            guard let byte = current, byte < 128 else { return nil }
            position += 1
            var set = ByteSet()
            if byte == UInt8(ascii: "d") {
                for digit in UInt8(ascii: "0")...UInt8(ascii: "9") { set.insert(digit) }
                return set
            }
            // Letters and digits after a backslash mean something else (\w, \b, \1…): not done here.
            guard !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")), !(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")),
                  !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else { return nil }
            set.insert(byte)
            return set
        }

        /// `[...]` without negation: ASCII members, ranges, escaped members.
        mutating func characterClass() -> Node? {
            var set = ByteSet()
            guard current != UInt8(ascii: "^") else { return nil }
            var previous: UInt8?
            while let byte = current, byte != UInt8(ascii: "]") {
                guard byte < 128 else { return nil }
                position += 1
                if byte == UInt8(ascii: "-"), let low = previous, let high = current, high != UInt8(ascii: "]") {
                    guard high < 128, high != UInt8(ascii: "\\"), low <= high else { return nil }
                    position += 1
                    for member in low...high { set.insert(member) }
                    previous = nil
                    continue
                }
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = escape() else { return nil }
                    set.low |= escaped.low
                    set.high |= escaped.high
                    previous = nil
                    continue
                }
                set.insert(byte)
                previous = byte
            }
            guard current == UInt8(ascii: "]") else { return nil }
            position += 1
            return .bytes(set)
        }

        mutating func quantifier() -> (Int, Int)? {
            let unbounded = Int.max
            let bounds: (Int, Int)
            switch current {
            case UInt8(ascii: "?"): position += 1; bounds = (0, 1)
            case UInt8(ascii: "*"): position += 1; bounds = (0, unbounded)
            case UInt8(ascii: "+"): position += 1; bounds = (1, unbounded)
            case UInt8(ascii: "{"):
                position += 1
                guard let low = number() else { return nil }
                var high = low
                if current == UInt8(ascii: ",") {
                    position += 1
                    high = current == UInt8(ascii: "}") ? unbounded : (number() ?? -1)
                }
                guard current == UInt8(ascii: "}"), high >= low else { return nil }
                position += 1
                bounds = (low, high)
            default:
                return (1, 1)
            }
            // A lazy or possessive quantifier: not done here.
            if current == UInt8(ascii: "?") || current == UInt8(ascii: "+") { return nil }
            return bounds
        }

        mutating func number() -> Int? {
            var value: Int?
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                value = (value ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                guard value ?? 0 < 100_000 else { return nil }
                position += 1
            }
            return value
        }
    }
}
