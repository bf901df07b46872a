import WireFormats
import HubContracts

/// ZLHFUND01 (LubeHub's custom basic type, message type ZLHFUND): dealers' market-development and
/// promotion funds (市场开发费 / 促销费). SAP keeps such funds in many ways (funds management, rebate
/// agreements, internal orders) and none of its outbound IDocs carries them per dealer, so the ERP
/// sends one Z1FUNDE segment per posted entry:
///
/// - BELNR (the entry's document number: the id), KUNNR (the customer), ZFART (the fund: `MDF`
///   market development, `PRM` promotion), ZEART (`B` a budget granted, `U` money used), VTWEG
///   (optional: the product line's channel 10/20/30; empty for the dealer as a whole);
/// - a budget: DATAB and DATBI (the period, YYYYMMDD, both days included); a use: BUDAT (the day);
/// - WRBTR (the amount, positive) in WAERS (only CNY: the figures are in fen), SGTXT (optional
///   text), STORNO (`X`: reversed, it counts for nothing).
enum FundMapping {
    static func entries(_ document: IDocDocument) throws(IDocError) -> [FundPosted] {
        let segments = document.segments("Z1FUNDE")
        guard !segments.isEmpty else { throw IDocError("missing segment Z1FUNDE") }
        return try segments.enumerated().map { (index, segment) throws(IDocError) in try entry(segment, number: index + 1) }
    }

    private static func entry(_ segment: IDocSegment, number: Int) throws(IDocError) -> FundPosted {
        guard let entryId = segment["BELNR"] else { throw IDocError("Z1FUNDE #\(number): BELNR (the document number) is empty") }
        let at = "Z1FUNDE \(entryId)"
        guard let customer = segment["KUNNR"] else { throw IDocError("\(at): KUNNR (the customer) is empty") }
        let fund: FundPosted.Fund
        switch segment["ZFART"] {
        case "MDF": fund = .marketDevelopment
        case "PRM": fund = .promotion
        case let other: throw IDocError("\(at): ZFART \(other ?? "(empty)") is not a fund (MDF market development, PRM promotion)")
        }
        var productLine: ProductLine?
        if let channel = segment["VTWEG"] {
            guard let line = IDocValues.productLine(channel: channel) else {
                throw IDocError("\(at): VTWEG \(channel) is not a product line's channel (10, 20 or 30; empty for the dealer as a whole)")
            }
            productLine = line
        }
        let entry: FundPosted.Entry
        let from: CalendarDate, to: CalendarDate
        switch segment["ZEART"] {
        case "B":
            entry = .budget
            from = try date(segment, "DATAB", at: at, what: "the budget's first day")
            to = try date(segment, "DATBI", at: at, what: "the budget's last day")
            guard from <= to else { throw IDocError("\(at): DATAB \(from) is after DATBI \(to)") }
        case "U":
            entry = .use
            from = try date(segment, "BUDAT", at: at, what: "the day the money was used")
            to = from
        case let other:
            throw IDocError("\(at): ZEART \(other ?? "(empty)") is not an entry kind (B a budget, U a use)")
        }
        guard let amountText = segment["WRBTR"], let amount = IDocValues.decimal(amountText), amount.value > 0 else {
            throw IDocError("\(at): WRBTR \(segment["WRBTR"] ?? "(empty)") is not an amount (a positive decimal)")
        }
        guard segment["WAERS"] == "CNY" else {
            throw IDocError("\(at): WAERS \(segment["WAERS"] ?? "(empty)") is not CNY: the figures are kept in yuan, convert in the ERP")
        }
        return FundPosted(entryId: entryId, dealerId: IDocValues.dealerId(customer), fund: fund, entry: entry, productLine: productLine,
                          periodFrom: from, periodTo: to, amount: amount, text: segment["SGTXT"],
                          status: segment["STORNO"] == "X" ? .reversed : .posted)
    }

    private static func date(_ segment: IDocSegment, _ field: String, at: String, what: String) throws(IDocError) -> CalendarDate {
        guard let text = segment[field], let date = IDocValues.date(text) else {
            throw IDocError("\(at): \(field) \(segment[field] ?? "(empty)") is not a date (YYYYMMDD), \(what)")
        }
        return date
    }
}
