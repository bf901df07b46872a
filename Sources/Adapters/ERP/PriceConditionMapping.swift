import WireFormats
import HubContracts

/// COND_A04 (message type COND_A): price conditions. Each E1KOMG with condition type PR00 (the
/// list price) for a customer price group KDGRP and a material becomes the price of that material
/// in price list `PL-<KDGRP>`; E1KONH gives the validity (DATBI 99991231 = open-ended), E1KONP the
/// amount KBETR (never negative), currency KONWA and the quantity KPEIN it is for. Conditions of
/// other types (discounts, freight) are not list prices and are skipped.
enum PriceConditionMapping {
    static func priceLists(_ document: IDocDocument) throws(IDocError) -> [PriceListUpserted] {
        let conditions = document.segments("E1KOMG")
        guard !conditions.isEmpty else { throw IDocError("missing segment E1KOMG") }
        var lists: [PriceListUpserted] = []
        for (index, condition) in conditions.enumerated() where (condition["KSCHL"] ?? "PR00") == "PR00" {
            let at = "E1KOMG #\(index + 1)"
            guard let group = condition["KDGRP"] else { throw IDocError("\(at): KDGRP (the customer price group) is empty") }
            guard let material = condition["MATNR"] else { throw IDocError("\(at): MATNR is empty") }
            guard let header = condition.segments("E1KONH").first else { throw IDocError("\(at): missing segment E1KONH (the validity)") }
            guard let fromText = header["DATAB"], let from = IDocValues.date(fromText) else {
                throw IDocError("\(at) E1KONH: DATAB \(header["DATAB"] ?? "(empty)") is not a date (YYYYMMDD)")
            }
            var to: CalendarDate?
            if let toText = header["DATBI"], toText != "99991231" {
                guard let date = IDocValues.date(toText) else { throw IDocError("\(at) E1KONH: DATBI \(toText) is not a date (YYYYMMDD)") }
                guard date >= from else { throw IDocError("\(at) E1KONH: DATBI \(toText) is before DATAB \(fromText)") }
                to = date
            }
            guard let item = header.segments("E1KONP").first else { throw IDocError("\(at): missing segment E1KONP (the amount)") }
            guard let amountText = item["KBETR"], let amount = IDocValues.decimal(amountText) else {
                throw IDocError("\(at) E1KONP: KBETR \(item["KBETR"] ?? "(empty)") is not an amount")
            }
            guard amount.value >= 0 else { throw IDocError("\(at) E1KONP: KBETR \(amountText) is negative; a list price cannot be") }
            guard let currency = item["KONWA"], currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw IDocError("\(at) E1KONP: KONWA \(item["KONWA"] ?? "(empty)") is not a currency code")
            }
            var per: DecimalNumber?
            if let perText = item["KPEIN"] {
                guard let value = IDocValues.decimal(perText), value.value > 0 else { throw IDocError("\(at) E1KONP: KPEIN \(perText) is not a positive quantity") }
                per = value
            }
            let price = PriceListUpserted.Price(materialId: material, unitPrice: amount, per: per)
            let id = "PL-" + group
            if let same = lists.firstIndex(where: { $0.priceListId == id && $0.currency == currency && $0.validFrom == from && $0.validTo == to }) {
                lists[same].prices.append(price)
            } else {
                lists.append(PriceListUpserted(priceListId: id, customerGroup: group, currency: currency, validFrom: from, validTo: to, prices: [price]))
            }
        }
        return lists
    }
}
