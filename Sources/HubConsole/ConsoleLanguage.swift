/// The console's languages: Chinese (zh-CN) by default, English by choice (the `lang` cookie,
/// set by `?lang=en` or `?lang=zh-CN` on any page).
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case chinese = "zh-CN"
    case english = "en"

    /// The language a request asks for: `?lang=` first, then the cookie, else Chinese.
    public static func of(query: String?, cookie: String?) -> ConsoleLanguage {
        (query ?? cookie).flatMap(ConsoleLanguage.init(rawValue:)) ?? .chinese
    }

    /// The other one (the switch in the page's header offers it).
    public var other: ConsoleLanguage { self == .chinese ? .english : .chinese }
}
