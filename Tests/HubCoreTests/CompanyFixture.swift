import Foundation
import HubContracts

/// A small company for rule tests: tier-1 dealer D1 (credit 10,000.00) and its tier-2 dealer D2,
/// permission group PG1 granting the automotive line at price list PL1 and warehouse WH1, material
/// M1 (100.00, 50 on hand) and M2 (made to order, 80.00).
enum CompanyFixture {
    static let at = Timestamp(parsing: "2026-12-01T00:00:00Z")!

    static func event(_ id: String, _ subject: String, _ data: EventData, source: String = "test") -> CanonicalEvent {
        CanonicalEvent(id: id, source: source, occurredAt: at, subject: subject, data: data)
    }

    static func decimal(_ text: String) -> DecimalNumber { DecimalNumber(text)! }

    static var masterData: [CanonicalEvent] {
        [
            event("md-d1", "D1", .dealerUpserted(DealerUpserted(dealerId: "D1", name: "上海一级经销商", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                                                                  productLines: [], permissionGroupIds: ["PG1"], creditLimit: Money(amount: decimal("10000.00")), status: .active))),
            event("md-d2", "D2", .dealerUpserted(DealerUpserted(dealerId: "D2", name: "二级经销商", tier: .tier2, parentDealerId: "D1", branchId: "BR-EAST",
                                                                  region: Region(province: "江苏"), productLines: [], permissionGroupIds: [],
                                                                  creditLimit: Money(amount: decimal("0")), status: .active))),
            event("md-pg1", "PG1", .permissionGroupUpserted(PermissionGroupUpserted(groupId: "PG1", name: "华东汽车油", dealerIds: ["D1"],
                                                                                       catalogue: .init(productLines: [.automotivePackaged], materialIds: []),
                                                                                       priceListId: "PL1", stockLocations: [.init(warehouseId: "WH1")]))),
            event("md-m1", "M1", .materialUpserted(material("M1"))),
            event("md-m2", "M2", .materialUpserted(material("M2"))),
            event("md-pl1", "PL1", .priceListUpserted(PriceListUpserted(priceListId: "PL1", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
                                                                           prices: [.init(materialId: "M1", unitPrice: decimal("100.00")),
                                                                                    .init(materialId: "M2", unitPrice: decimal("80.00"))]))),
            event("md-wh1", "WH1", .warehouseUpserted(WarehouseUpserted(warehouseId: "WH1", name: "上海仓", plantId: "P1", region: Region(province: "上海"),
                                                                          stockLocations: []))),
            event("md-s1", "WH1:M1", .stockSnapshot(StockSnapshot(warehouseId: "WH1", materialId: "M1", onHand: decimal("50"), asOf: at))),
        ]
    }

    static func material(_ id: String) -> MaterialUpserted {
        MaterialUpserted(materialId: id, name: "机油 \(id)", productLine: .automotivePackaged, productLineCode: "10", category: "engine-oil", grade: "SN 5W-30",
                         packageSize: .init(value: decimal("4"), unit: "L"), unitOfMeasure: "EA", status: "active")
    }

    static func submit(_ orderId: String, dealer: String = "D1", _ lines: [(String, String, LineKind)], id: String? = nil) -> CanonicalEvent {
        event(id ?? "cmd-\(orderId)", orderId, .orderSubmit(OrderSubmission(
            orderId: orderId, dealerId: dealer,
            lines: lines.enumerated().map { OrderLine(lineNo: $0.offset + 1, materialId: $0.element.0, quantity: decimal($0.element.1), kind: $0.element.2) },
            submittedBy: "U-\(dealer)", channel: .api)))
    }

    static func erp(_ id: String, _ orderId: String, _ data: EventData) -> CanonicalEvent {
        event(id, orderId, data, source: "adapter-erp")
    }
}
