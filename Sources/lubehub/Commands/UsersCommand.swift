import ArgumentParser
import Foundation
import HubAPI
import HubCommandLine
import HubContracts
import HubServer
import HubStore

/// `lubehub users`: people's accounts on the hub's database, from the server's command line — the
/// first administrator above all (`lubehub users add --login admin --role admin --password-stdin`);
/// after that, administrators manage accounts through the API. Each change is audited (actor
/// `cli:<user>`) and goes out on `hub.audit` with the next outbox relay.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add and list people's accounts (the first administrator; then the API).",
        subcommands: [Add.self, List.self]
    )

    static func actor() -> ChangeActor {
        ChangeActor(id: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? NSUserName()), source: "cli")
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account. The password is read from standard input (--password-stdin) or generated and printed once, to be changed at first sign-in.",
            discussion: "Example: printf '%s' \"$PASSWORD\" | lubehub users add --login admin --role admin --password-stdin --name 系统管理员"
        )

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "The login (3–64 letters, digits, . _ - @; stored lower-case).") var login: String
        @Option(help: "admin, branch-manager, area-manager, product-line-manager, sales-rep, dealer or carrier.") var role: String
        @Option(help: "The name shown (default: the login).") var name: String?
        @Flag(help: "Read the password from standard input (one line; nothing is echoed or logged).") var passwordStdin = false
        @Option(help: "The dealer of a dealer user.") var dealer: String?
        @Flag(help: "The dealer user administers its dealer's users.") var dealerAdmin = false
        @Option(help: "The branch of a branch manager or a sales representative.") var branch: String?
        @Option(help: "An area manager's provinces, comma-separated.") var area: String?
        @Option(help: "A product-line manager's product lines, comma-separated.") var lines: String?
        @Option(help: "A sales representative's id.") var rep: String?
        @Option(help: "A carrier's id.") var carrier: String?

        func run() async throws {
            let configuration = try options.load()
            guard let role = Principal.Role(rawValue: role), role != .system else {
                throw ValidationError("--role must be one of \(Principal.Role.allCases.filter { $0 != .system }.map(\.rawValue).joined(separator: ", "))")
            }
            func list(_ text: String?) -> [String] { text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [] }
            let principal = Principal(subject: "new", role: role, dealerId: dealer, branchId: branch, provinces: list(area), salesRepId: rep,
                                      carrierId: carrier, productLines: list(lines), dealerAdmin: dealerAdmin)
            if let missing = principal.missingAttribute() { throw ValidationError(missing) }
            var password: String?
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("--password-stdin: standard input had no password") }
                if let problem = PasswordPolicy.problem(line, login: login) { throw ValidationError("the password \(problem)") }
                password = line
            }
            let temporary = password == nil ? SessionSecret.randomToken(bytes: 12) : nil
            let hasher = PasswordHasher(cost: configuration.api.passwordCost)
            let hash = try await hasher.hash(password ?? temporary ?? "")
            let location = DatabaseLocation(parsing: configuration.core.database)
            let store = try AccountStore(location)
            var generator = SystemRandomNumberGenerator()
            let userId = "U-" + String((0..<16).map { _ in Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")[Int.random(in: 0..<32, using: &generator)] })
            let user = UserRecord(userId: userId, login: login, displayName: name ?? login, role: role.rawValue, dealerId: role == .dealer ? dealer : nil,
                                  dealerAdmin: role == .dealer && dealerAdmin, branchId: [.branchManager, .salesRep].contains(role) ? branch : nil,
                                  provinces: role == .areaManager ? list(area) : [], productLines: role == .productLineManager ? list(lines) : [],
                                  salesRepId: role == .salesRep ? rep : nil, carrierId: role == .carrier ? carrier : nil, mustChangePassword: temporary != nil)
            switch try await store.create(user, passwordHash: hash, by: UsersCommand.actor(), now: Timestamp(Date())) {
            case .success(let created):
                say("user \(created.login) (\(created.userId), \(created.role)) added to \(location)")
                if let temporary { say("temporary password (shown once; to be changed at first sign-in): \(temporary)") }
            case .failure(.loginTaken(let login)):
                throw ValidationError("login \(login) is taken")
            case .failure(let refusal):
                throw ValidationError("not added: \(refusal)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts: login, id, role, scope, status.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Only this role.") var role: String?

        func run() async throws {
            let configuration = try options.load()
            let store = try AccountStore(DatabaseLocation(parsing: configuration.core.database))
            let page = try await store.users(UserFilter(role: role, limit: 10_000))
            for user in page.users {
                let scope = [user.dealerId, user.branchId, user.salesRepId, user.carrierId].compactMap { $0 } + user.provinces + user.productLines
                say("\(user.login)\t\(user.userId)\t\(user.role)\t\(scope.joined(separator: ","))\t\(user.status.rawValue)")
            }
            say("\(page.total) account(s)")
        }
    }
}
