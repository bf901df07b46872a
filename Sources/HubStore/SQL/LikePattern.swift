/// LIKE patterns built from what a person typed into a search box.
enum LikePattern {
    /// A pattern matching any text that contains `text` literally — its `%`, `_` and `\` match
    /// themselves, not any text — for a condition written `column LIKE ? ESCAPE '\'`.
    static func containing(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
