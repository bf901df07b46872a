import ArgumentParser
import HubCommandLine
import Foundation
import HubAPI
import HubServer

/// `lubehub token`: credentials for the HTTP API on the embedded default — bearer tokens signed
/// with the configured secret (`issue`) and API keys for carriers and systems (`api-key`).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint API credentials: a signed bearer token (issue) or an API key (api-key).",
        subcommands: [Issue.self, APIKey.self]
    )

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an HS256 bearer token for a principal (signed with api.secretFile; lubehub serve accepts it).",
            discussion: "Examples: lubehub token issue --role dealer --dealer D100042; lubehub token issue --role branch-manager --branch B-EAST"
        )

        @Option(help: "A configuration file (YAML; see config/). Default: the embedded defaults.") var config: String?
        @Option(help: "admin, branch-manager, area-manager, sales-rep, dealer, carrier or system.") var role: String
        @Option(help: "The user id (default: derived from the role and its scope).") var subject: String?
        @Option(help: "The dealer of a dealer user.") var dealer: String?
        @Option(help: "The branch of a branch manager.") var branch: String?
        @Option(help: "An area manager's provinces, comma-separated.") var area: String?
        @Option(help: "A sales representative's id.") var rep: String?
        @Option(help: "A carrier's id.") var carrier: String?
        @Option(help: "Hours the token is valid.") var hours: Double = 12

        func run() throws {
            let api = try config.map { path throws(ConfigurationError) in try HubConfiguration.load(path: path) }?.api ?? HubConfiguration.APISection()
            guard let role = Principal.Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let provinces = area.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let scope = dealer ?? branch ?? rep ?? carrier ?? provinces.first ?? "all"
            let principal = Principal(subject: subject ?? "U-\(role.rawValue)-\(scope)", role: role, dealerId: dealer, branchId: branch, provinces: provinces,
                                      salesRepId: rep, carrierId: carrier)
            if let missing = principal.missingAttribute() { throw ValidationError(missing) }
            guard hours > 0, hours <= 24 * 366 else { throw ValidationError("--hours must be more than 0 and at most a year") }
            print(try api.issueToken(for: principal, lifetime: hours * 3600))
        }
    }

    struct APIKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-key",
            abstract: "Print a new API key for a carrier, a dealer's system or a downstream system, and the api.apiKeys entry that lets it in."
        )

        @Option(help: "carrier, dealer (a dealer's own system: it writes that dealer's stock and sell-through only) or system.") var role: String
        @Option(help: "The carrier's id (for --role carrier).") var carrier: String?
        @Option(help: "The dealer's id (for --role dealer).") var dealer: String?
        @Option(help: "The key's name (who holds it).") var subject: String

        func run() throws {
            guard ["carrier", "dealer", "system"].contains(role) else { throw ValidationError("--role must be carrier, dealer or system") }
            if role == "carrier" && carrier == nil { throw ValidationError("a carrier key needs --carrier") }
            if role == "dealer" && dealer == nil { throw ValidationError("a dealer system's key needs --dealer") }
            let key = HubAPI.APIKeys.generate()
            print("key (give it to \(subject); it is not stored anywhere): \(key)")
            print("add to the configuration under api.apiKeys:")
            print("  - {sha256: \(HubAPI.APIKeys.digest(key)), role: \(role), subject: \(subject)\(carrier.map { ", carrier: \($0)" } ?? "")\(dealer.map { ", dealer: \($0)" } ?? "")}")
        }
    }
}
