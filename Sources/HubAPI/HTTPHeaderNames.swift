import HTTPTypes

/// The header fields the API reads or writes beyond HTTP's own.
extension HTTPField.Name {
    static let apiKey = Self("X-API-Key")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    static let lastEventID = Self("Last-Event-ID")!
    /// A cookie-authenticated change echoes its session's CSRF token here.
    static let csrfToken = Self("X-CSRF-Token")!
}
