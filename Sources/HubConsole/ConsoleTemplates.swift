import Foundation
public import Mustache

/// The console's Mustache templates, read once from the target's `Templates` folder: each page
/// renders its own template, then the layout around it. Mustache escapes every `{{value}}` for
/// HTML; only the layout's `{{{body}}}` (a page this renderer made) is written as it is.
public struct ConsoleTemplates: Sendable {
    public let library: MustacheLibrary

    /// What went wrong loading the templates, and what to do.
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The templates built into the console's resource bundle.
    public init() throws(LoadError) {
        try self.init(directory: Bundle.module.url(forResource: "Templates", withExtension: nil))
    }

    init(directory: URL?) throws(LoadError) {
        guard let directory else {
            throw LoadError(description: "the console's templates are not beside the binary (HubConsole's resource bundle): rebuild with swift build")
        }
        var library = MustacheLibrary()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let path = directory.appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LoadError(description: "cannot read the console template \(path)")
            }
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw LoadError(description: "the console template \(name) does not parse: \(error)")
            }
        }
        guard library.getTemplate(named: "layout") != nil else {
            throw LoadError(description: "the console's templates in \(directory.path) lack layout.mustache")
        }
        self.library = library
    }

    /// A page: its template rendered with `context`, inside the layout.
    public func page(_ template: String, _ context: [String: Any]) -> String {
        var outer = context
        outer["body"] = library.render(context, withTemplate: template) ?? ""
        return library.render(outer, withTemplate: "layout") ?? ""
    }
}
