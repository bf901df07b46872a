import Foundation
import WireFormats
import HubContracts

/// ZLHCONT01 (LubeHub's custom basic type, message type ZLHCONT): the ERP's quantity contracts
/// (sales documents of category G, e.g. AUART KM) for what SAP's outbound IDocs do not carry as one
/// document. One Z1CONTH segment per contract, with the fields of its header (VBAK) and its items
/// (VBAP) as Z1CONTI children:
///
/// - Z1CONTH: VBELN (the contract number), AUART (its type), KUNNR (the sold-to customer), VKORG,
///   VTWEG (the distribution channel: 10/20/30 = the product line), GUEBG and GUEEN (valid from and
///   to, YYYYMMDD, both days included), ABGRU (a rejection reason: the contract is cancelled);
/// - Z1CONTI: POSNR (the item), MATNR (optional: the whole line when empty), ZMENG (the target
///   quantity), ZIEME (its unit: L/LTR, ML, M3/MTQ as litres; KG/KGM, G, TO/TNE as kilograms).
///
/// A contract's volume is agreed in litres or kilograms; an item in pieces (ST/EA) is refused,
/// naming it, as the contracted volume must add up across packages.
enum ContractMapping {
    static func contracts(_ document: IDocDocument) throws(IDocError) -> [ContractUpserted] {
        let headers = document.segments("Z1CONTH")
        guard !headers.isEmpty else { throw IDocError("missing segment Z1CONTH") }
        return try headers.enumerated().map { (index, header) throws(IDocError) in try contract(header, number: index + 1) }
    }

    private static func contract(_ header: IDocSegment, number: Int) throws(IDocError) -> ContractUpserted {
        guard let contractId = header["VBELN"] else { throw IDocError("Z1CONTH #\(number): VBELN (the contract number) is empty") }
        let at = "Z1CONTH \(contractId)"
        guard let customer = header["KUNNR"] else { throw IDocError("\(at): KUNNR (the sold-to customer) is empty") }
        guard let productLine = IDocValues.productLine(channel: header["VTWEG"]) else {
            throw IDocError("\(at): VTWEG \(header["VTWEG"] ?? "(empty)") is not a product line's channel (10, 20 or 30)")
        }
        guard let fromText = header["GUEBG"], let from = IDocValues.date(fromText) else {
            throw IDocError("\(at): GUEBG \(header["GUEBG"] ?? "(empty)") is not a date (YYYYMMDD)")
        }
        guard let toText = header["GUEEN"], let to = IDocValues.date(toText) else {
            throw IDocError("\(at): GUEEN \(header["GUEEN"] ?? "(empty)") is not a date (YYYYMMDD)")
        }
        guard from <= to else { throw IDocError("\(at): valid from \(from) is after valid to \(to)") }
        let items = header.segments("Z1CONTI")
        guard !items.isEmpty else { throw IDocError("\(at): missing segment Z1CONTI (its items)") }
        var lines: [ContractUpserted.Line] = []
        var litres = Decimal(0), kilograms = Decimal(0)
        var (anyLitres, anyKilograms) = (false, false)
        for (index, item) in items.enumerated() {
            let itemAt = "\(at) Z1CONTI \(item["POSNR"] ?? "#\(index + 1)")"
            guard let quantityText = item["ZMENG"], let quantity = IDocValues.decimal(quantityText), quantity.value > 0 else {
                throw IDocError("\(itemAt): ZMENG \(item["ZMENG"] ?? "(empty)") is not a target quantity (a positive decimal)")
            }
            guard let (base, factor) = SAPQuantityUnit.base(of: item["ZIEME"]) else {
                throw IDocError("\(itemAt): ZIEME \(item["ZIEME"] ?? "(empty)") is not a volume or weight unit (L, ML, M3, KG, G, TO): a contracted volume must add up across packages")
            }
            let amount = quantity.value * factor
            switch base {
            case .litres: litres += amount; anyLitres = true
            case .kilograms: kilograms += amount; anyKilograms = true
            }
            lines.append(.init(lineNo: IDocValues.lineNumber(item["POSNR"]) ?? index + 1, materialId: item["MATNR"], quantity: DecimalNumber(amount), unit: base.rawValue))
        }
        return ContractUpserted(contractId: contractId, dealerId: IDocValues.dealerId(customer), productLine: productLine, validFrom: from, validTo: to,
                                lines: lines, contractedLitres: anyLitres ? DecimalNumber(litres) : nil,
                                contractedKilograms: anyKilograms ? DecimalNumber(kilograms) : nil,
                                status: header["ABGRU"] == nil ? .active : .cancelled)
    }
}
