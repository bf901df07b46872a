import Foundation

/// SAP's units of volume and weight as the ERP documents write them (T006 names and their ISO
/// codes), each to litres or kilograms with the factor to get there: how the material master's
/// volume and weight and a contract's target quantities become amounts that add up.
enum SAPQuantityUnit {
    enum Base: String { case litres = "L", kilograms = "kg" }

    /// The base unit of `text` and the factor to it; nil for a unit neither a volume nor a weight (pieces, boxes).
    static func base(of text: String?) -> (base: Base, factor: Decimal)? {
        switch text?.uppercased() {
        case "L", "LTR", "DMQ": (.litres, 1)
        case "ML": (.litres, Decimal(1) / 1_000)
        case "M3", "MTQ": (.litres, 1_000)
        case "KG", "KGM": (.kilograms, 1)
        case "G", "GRM": (.kilograms, Decimal(1) / 1_000)
        case "TO", "TNE", "T": (.kilograms, 1_000)
        default: nil
        }
    }
}
