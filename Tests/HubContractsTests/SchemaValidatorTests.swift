import HubContracts
import Testing

@Suite("schema validator: compiled references and oneOf")
struct SchemaValidatorTests {
    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    static let common = """
    {"$defs": {"code": {"$ref": "#/$defs/text", "pattern": "^[A-Z]+$", "description": "capital letters"},
               "text": {"type": "string", "minLength": 1}}}
    """

    @Test("a schema that refers to itself checks a tree to any depth and names the deep field")
    func recursive() throws {
        let validator = SchemaValidator(documents: [:])
        let schema = validator.compile(try Self.json("""
        {"$ref": "#/$defs/node", "$defs": {"node": {"type": "object", "required": ["name"],
          "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
        """))
        #expect(validator.validate(try Self.json(#"{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}"#), against: schema).isEmpty)
        let issues = validator.validate(try Self.json(#"{"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}"#), against: schema)
        #expect(issues.map(\.path) == ["children[0].children[0].name"])
    }

    @Test("a reference into a named document follows that document's own references")
    func namedDocument() throws {
        let validator = SchemaValidator(documents: ["common.json": try Self.json(Self.common)])
        let schema = validator.compile(try Self.json(#"{"type": "object", "properties": {"code": {"$ref": "common.json#/$defs/code"}}}"#))
        #expect(validator.validate(try Self.json(#"{"code": "ABC"}"#), against: schema).isEmpty)
        #expect(validator.validate(try Self.json(#"{"code": "abc"}"#), against: schema).map(\.description) == [#"code: "abc" is not valid: expected capital letters"#])
        #expect(validator.validate(try Self.json(#"{"code": ""}"#), against: schema).map(\.reason).contains("must not be empty"))
    }

    @Test("a reference to nothing is a schema error at the place it is used")
    func unresolvable() throws {
        let validator = SchemaValidator(documents: [:])
        let issues = validator.validate(try Self.json(#"{"a": 1}"#), against: try Self.json(#"{"properties": {"a": {"$ref": "other.json#/$defs/x"}}}"#))
        #expect(issues.map(\.description) == ["a: schema error: unresolvable $ref other.json#/$defs/x"])
    }

    @Test("oneOf: by the tag every branch fixes (a missing or unknown tag named), else exactly one branch")
    func oneOf() throws {
        let validator = SchemaValidator(documents: [:])
        let tagged = validator.compile(try Self.json("""
        {"oneOf": [{"properties": {"kind": {"const": "a"}, "n": {"type": "integer"}}},
                   {"properties": {"kind": {"const": 2}, "n": {"type": "string"}}}]}
        """))
        #expect(validator.validate(try Self.json(#"{"kind": "a", "n": 1}"#), against: tagged).isEmpty)
        #expect(validator.validate(try Self.json(#"{"kind": 2.0, "n": "x"}"#), against: tagged).isEmpty, "a number tag matches by value")
        #expect(validator.validate(try Self.json(#"{"kind": "a", "n": "x"}"#), against: tagged).map(\.path) == ["n"])
        #expect(validator.validate(try Self.json(#"{"kind": "b"}"#), against: tagged).map(\.description) == [#"kind: unknown value "b"; known: "a", 2"#])
        #expect(validator.validate(try Self.json(#"{"n": 1}"#), against: tagged).map(\.description) == ["kind: required field missing"])

        let plain = validator.compile(try Self.json(#"{"oneOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}]}"#))
        #expect(validator.validate(try Self.json(#""x""#), against: plain).isEmpty)
        #expect(validator.validate(try Self.json("1"), against: plain).map(\.reason) == ["matches 2 of the allowed forms; exactly one is required"])
        #expect(validator.validate(try Self.json("true"), against: plain).count == 1)
    }

    @Test("false forbids, true allows; additionalProperties false names the unknown field")
    func booleans() throws {
        let validator = SchemaValidator(documents: [:])
        #expect(validator.validate(.null, against: .bool(false)).map(\.reason) == ["no value is allowed here"])
        #expect(validator.validate(.null, against: .bool(true)).isEmpty)
        let closed = try Self.json(#"{"properties": {"a": true}, "additionalProperties": false}"#)
        #expect(validator.validate(try Self.json(#"{"a": [1], "b": 2}"#), against: closed).map(\.description) == ["b: unknown field"])
    }
}
