import HubDomain

/// A dealer's period report as one CSV a spreadsheet opens (``SpreadsheetCSV``): a section per
/// material, then per customer with the ageing, then the totals; the first column says which.
enum BookReportCSV {
    static func document(_ report: BookReport) -> String {
        var rows: [[String]] = report.materials.map { line in
            ["material", line.materialId, line.name ?? "", line.openingQuantity, line.openingValue, line.purchasedQuantity, line.purchases,
             line.returnedToCompanyQuantity, line.returnsToCompany, line.soldQuantity, line.sales, line.costOfSales, line.grossMargin,
             line.grossMarginRate ?? "", line.adjustedQuantity, line.adjustments, line.closingQuantity, line.closingValue, line.averageCost ?? ""]
        }
        rows.append(["customer", "customerId", "name", "kind", "sales", "costOfSales", "grossMargin", "payments", "receivable", "days0to30", "days31to60",
                     "days61to90", "over90"])
        rows += report.customers.map { customer in
            ["customer", customer.customerId, customer.name ?? "", customer.kind ?? "", customer.sales, customer.costOfSales, customer.grossMargin,
             customer.payments, customer.receivable, customer.days0to30, customer.days31to60, customer.days61to90, customer.over90]
        }
        let totals = report.totals
        rows.append(["totals", "openingValue", "purchases", "returnsToCompany", "sales", "costOfSales", "grossMargin", "grossMarginRate", "adjustments",
                     "closingValue", "payments", "receivables", "receivablesOver90", "payables"])
        rows.append(["totals", totals.openingValue, totals.purchases, totals.returnsToCompany, totals.sales, totals.costOfSales, totals.grossMargin,
                     totals.grossMarginRate ?? "", totals.adjustments, totals.closingValue, totals.payments, totals.receivables, totals.receivablesOver90, report.payables ?? ""])
        return SpreadsheetCSV.document(header: ["section", "materialId", "name", "openingQuantity", "openingValue", "purchasedQuantity", "purchases",
                                                "returnedToCompanyQuantity", "returnsToCompany", "soldQuantity", "sales", "costOfSales", "grossMargin",
                                                "grossMarginRate", "adjustedQuantity", "adjustments", "closingQuantity", "closingValue", "averageCost"],
                                       rows: rows)
    }
}
