import WireFormats
import HubContracts

/// ZLHCRED01 (LubeHub's custom basic type, message type ZLHCRED): one Z1CREDIT segment per
/// customer — KUNNR, KKBER (credit control area), KLIMK (the limit), WAERS (currency), DATAB (valid
/// from, optional). The dealer id is `D` + the customer number without its leading zeros.
enum CreditLimitMapping {
    static func limits(_ document: IDocDocument) throws(IDocError) -> [DealerCreditLimitSet] {
        let segments = document.segments("Z1CREDIT")
        guard !segments.isEmpty else { throw IDocError("missing segment Z1CREDIT") }
        return try segments.enumerated().map { (index, segment) throws(IDocError) -> DealerCreditLimitSet in
            guard let customer = segment["KUNNR"] else { throw IDocError("Z1CREDIT #\(index + 1): KUNNR is empty") }
            guard let limitText = segment["KLIMK"], let limit = IDocValues.decimal(limitText) else {
                throw IDocError("Z1CREDIT #\(index + 1): KLIMK \(segment["KLIMK"] ?? "") is not an amount")
            }
            guard let currency = segment["WAERS"] else { throw IDocError("Z1CREDIT #\(index + 1): WAERS is empty") }
            var validFrom: CalendarDate?
            if let from = segment["DATAB"] {
                guard let date = IDocValues.date(from) else { throw IDocError("Z1CREDIT #\(index + 1): DATAB \(from) is not a date (YYYYMMDD)") }
                validFrom = date
            }
            return DealerCreditLimitSet(dealerId: IDocValues.dealerId(customer), creditLimit: Money(amount: limit, currency: currency),
                                        validFrom: validFrom, erpDocument: document.documentNumber)
        }
    }
}
