/// PostgreSQL's text form of a one-dimensional array (`{"a","b"}`, `{1,2}`), for binding a column's
/// worth of values as one parameter (`?::text[]`, `?::bigint[]`) and unnesting it server-side:
/// many rows in one statement, one round trip. Every text element is quoted, so an empty string,
/// `NULL`, commas, braces and spaces stay text; `"` and `\` are escaped with a backslash.
enum PostgresArrayLiteral {
    static func texts<S: Sequence>(_ values: S) -> String where S.Element == String {
        var literal = "{"
        var separator = ""
        for value in values {
            literal += separator + "\""
            separator = ","
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }

    static func integers<S: Sequence>(_ values: S) -> String where S.Element == Int64 {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}
