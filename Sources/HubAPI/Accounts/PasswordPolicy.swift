/// What a new password must be: long enough to resist guessing at the hasher's cost, short enough
/// that hashing it is bounded, and not the login. No composition rules (NIST SP 800-63B: length
/// matters, forced symbol mixes do not).
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 128

    /// Why `password` is refused, or nil.
    public static func problem(_ password: String, login: String) -> String? {
        if password.count < minimumLength { return "must have at least \(minimumLength) characters" }
        if password.count > maximumLength { return "must have at most \(maximumLength) characters" }
        if password.lowercased() == login.lowercased() { return "must not be the login" }
        if Set(password).count < 3 { return "must not repeat one or two characters" }
        return nil
    }
}
