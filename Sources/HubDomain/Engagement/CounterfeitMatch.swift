public import HubContracts

/// A counterfeit report (R6) held against what the anti-counterfeit system said of the same code
/// on `hub.authenticity`: its scans and the flags they raised. Staff see the verdict with the
/// evidence beside the report; it is worked out when read, so a scan arriving after the report
/// counts too.
///
/// | the system's record of the code | verdict |
/// |---|---|
/// | any scan answered counterfeit, or a counterfeit flag | `confirmed`: the system knows it as fake |
/// | an unknown-code answer, never genuine | `unknownCode`: never issued — most likely a copied package |
/// | genuine, with a cross-region flag | `crossRegion`: genuine goods sold outside their territory (窜货), not a fake |
/// | genuine, no flag (a repeat scan of a genuine code, too) | `genuineCode`: the code is real — a copied code on a fake package is possible, so check the package |
/// | nothing | `notScanned`: the system has not seen the code |
public enum CounterfeitMatch: Sendable, Equatable {
    case confirmed
    case unknownCode
    case crossRegion(soldTo: String?)
    case genuineCode
    case notScanned

    public static func of(scans: [AuthenticityScanned], flags: [AuthenticityFlagged]) -> CounterfeitMatch {
        if scans.contains(where: { $0.result == .counterfeit }) || flags.contains(where: { $0.reason == .counterfeit }) { return .confirmed }
        let genuine = scans.contains { $0.result == .genuine || $0.result == .alreadyScanned }
        if !genuine, scans.contains(where: { $0.result == .unknownCode }) { return .unknownCode }
        if let crossRegion = flags.first(where: { $0.reason == .crossRegion }) {
            return .crossRegion(soldTo: crossRegion.dealerId ?? scans.compactMap(\.soldToDealerId).first)
        }
        return genuine ? .genuineCode : .notScanned
    }

    /// A short code for lists and the API: `confirmed`, `unknown-code`, `cross-region`, `genuine-code`, `not-scanned`.
    public var code: String {
        switch self {
        case .confirmed: "confirmed"
        case .unknownCode: "unknown-code"
        case .crossRegion: "cross-region"
        case .genuineCode: "genuine-code"
        case .notScanned: "not-scanned"
        }
    }
}
