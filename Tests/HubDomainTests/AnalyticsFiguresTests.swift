import Foundation
import HubContracts
import HubDomain
import Testing

@Suite("figures: months in China time, contracts spread by days, what an order and a shipment add")
struct AnalyticsFiguresTests {
    let attribution = DealerAttribution(dealerId: "D1", branchId: "BR-EAST", salesRepId: "REP-1", province: "上海")

    func time(_ text: String) -> Date { Timestamp(parsing: text)!.date }

    @Test("a month is China Standard Time's: 20:00 UTC on 31 January is February")
    func months() throws {
        #expect(FigureMonth(time("2026-01-31T15:59:59Z")).text == "2026-01")
        #expect(FigureMonth(time("2026-01-31T16:00:00Z")).text == "2026-02")
        #expect(FigureMonth(text: "2026-13") == nil && FigureMonth(text: "2026-1") == nil)
        let february = try #require(FigureMonth(text: "2028-02"))
        #expect(february.length == 29 && february.lastDate?.text == "2028-02-29")
        #expect(february.adding(months: -2).text == "2027-12" && february.adding(months: 11).text == "2029-01")
        #expect(FigureMonth.range(february, february.adding(months: 2)).map(\.text) == ["2028-02", "2028-03", "2028-04"])
    }

    @Test("small units: rounded half away from zero, written back as plain decimals")
    func minorUnits() {
        #expect(MinorUnits.whole(Decimal(string: "0.005")!, scale: 2) == 1)
        #expect(MinorUnits.whole(Decimal(string: "-0.005")!, scale: 2) == -1)
        #expect(MinorUnits.whole(Decimal(string: "3.9999")!, scale: 3) == 4_000)
        #expect(MinorUnits.text(12_345, scale: 2) == "123.45")
        #expect(MinorUnits.text(-5, scale: 2) == "-0.05")
        #expect(MinorUnits.text(7, scale: 0) == "7")
    }

    @Test("a contract's volume is spread over its months by days, and the shares add up to it exactly")
    func contractSpread() throws {
        let year = ContractFacts(contractId: "K1", attribution: attribution, productLine: "automotive-packaged", validFrom: CalendarDate("2026-01-01")!,
                                 validTo: CalendarDate("2026-12-31")!, millilitres: 36_500_000, grams: 0, cancelled: false)
        let figures = ContractFigures.contributions(of: year)
        let january = try #require(FigureMonth(text: "2026-01"))
        #expect(figures.measures[FigureKey(.dealer, "D1", productLine: "automotive-packaged", month: january)]?.contractedMl == 3_100_000)
        #expect(figures.measures[FigureKey(.branch, "BR-EAST", productLine: FigureKey.allLines, month: january)]?.contractedMl == 3_100_000)
        let dealerRows = figures.measures.filter { $0.key.scope == .dealer && $0.key.productLine == FigureKey.allLines }
        #expect(dealerRows.count == 12 && dealerRows.values.map(\.contractedMl).reduce(0, +) == 36_500_000)
        // An awkward total over three days across two months: the shares still add up.
        let odd = ContractFacts(contractId: "K2", attribution: attribution, productLine: "industrial", validFrom: CalendarDate("2026-01-30")!,
                                validTo: CalendarDate("2026-02-01")!, millilitres: 1_000, grams: 1, cancelled: false)
        let oddRows = ContractFigures.contributions(of: odd).measures.filter { $0.key.scope == .company && $0.key.productLine == "industrial" }
        #expect(oddRows.values.map(\.contractedMl).sorted() == [333, 667])
        #expect(oddRows.values.map(\.contractedG).reduce(0, +) == 1)
        var cancelled = year
        cancelled.cancelled = true
        #expect(ContractFigures.contributions(of: cancelled).isEmpty)
    }

    func order(_ status: OrderStatus, dispatched: Bool = false) -> OrderFacts {
        let taken = dispatched ? OrderFacts.Taken(millilitres: 40_000, grams: 35_000, revenueFen: 100_000, costFen: 60_000) : nil
        let other = dispatched ? OrderFacts.Taken(millilitres: 0, grams: 200_000, revenueFen: 50_000, costFen: nil) : nil
        return OrderFacts(orderId: "O1", attribution: attribution, status: status, placedAt: time("2026-11-30T17:00:00Z"),
                          lines: [.init(productLine: "automotive-packaged", taken: taken), .init(productLine: "industrial", taken: other)],
                          confirmedAt: time("2026-12-01T00:00:00Z"), promisedDate: CalendarDate("2026-12-05"),
                          dispatchedAt: dispatched ? time("2026-12-03T02:00:00Z") : nil, plantId: "P1", carrierId: "C1",
                          rating: dispatched ? .init(productQuality: 5, dispatchSpeed: 4, serviceQuality: 3) : nil, receiptScore: dispatched ? 4 : nil)
    }

    @Test("an order counts in the month it was placed; cancelling takes back its validity; what left counts in the month of dispatch")
    func orderContributions() throws {
        let december = try #require(FigureMonth(text: "2026-12"))
        let accepted = OrderFigures.contributions(of: order(.accepted))
        let all = FigureKey(.dealer, "D1", productLine: FigureKey.allLines, month: december)
        #expect(accepted.measures[all]?.ordersSubmitted == 1 && accepted.measures[all]?.ordersValid == 1, "placed 01:00 on 1 December in China")
        #expect(accepted.measures[FigureKey(.salesRep, "REP-1", productLine: "industrial", month: december)]?.ordersSubmitted == 1)
        #expect(accepted.measures.keys.allSatisfy { $0.scope != .plant && $0.scope != .carrier }, "nothing for the plant or carrier before dispatch")

        let change = FigureContributions.change(from: accepted, to: OrderFigures.contributions(of: order(.cancelled)))
        #expect(change.measures[all]?.ordersValid == -1 && change.measures[all]?.ordersCancelled == 1 && change.measures[all]?.ordersSubmitted == 0)

        let rated = OrderFigures.contributions(of: order(.rated, dispatched: true))
        let figures = try #require(rated.measures[all])
        #expect(figures.ordersExecuted == 1 && figures.takenMl == 40_000 && figures.takenG == 235_000)
        #expect(figures.revenueFen == 150_000 && figures.costFen == 60_000 && figures.uncostedRevenueFen == 50_000)
        #expect(figures.dispatchPromised == 1 && figures.dispatchedOnTime == 1 && figures.confirmDispatchMinutes == 50 * 60 && figures.confirmDispatchCount == 1)
        #expect(figures.ratedOrders == 1 && figures.qualitySum == 5 && figures.receiptSum == 4)
        let plant = try #require(rated.measures[FigureKey(.plant, "P1", productLine: "automotive-packaged", month: december)])
        #expect(plant.takenMl == 40_000 && plant.ordersSubmitted == 0)
        let carrier = try #require(rated.measures[FigureKey(.carrier, "C1", productLine: FigureKey.allLines, month: december)])
        #expect(carrier.revenueFen == 0 && carrier.dispatchSpeedSum == 4 && carrier.serviceSum == 3)
    }

    @Test("a line that left: litres and kilograms from the material master, cost only when the ERP sent one")
    func taken() {
        let line = OrderFigures.taken(quantity: 3, unitPrice: Decimal(string: "99.99"), litresPerUnit: Decimal(string: "0.946"), kilogramsPerUnit: nil,
                                      unitCost: Decimal(string: "61.123456"))
        #expect(line == OrderFacts.Taken(millilitres: 2_838, grams: 0, revenueFen: 29_997, costFen: 18_337))
        #expect(OrderFigures.taken(quantity: 2, unitPrice: 10, litresPerUnit: 4, kilogramsPerUnit: nil, unitCost: nil).costFen == nil)
    }

    @Test("a shipment counts for its carrier when delivered: on time against the promised day in China time, and its exceptions")
    func shipments() throws {
        let late = ShipmentFacts(shipmentId: "S1", carrierId: "C1", dispatchedAt: time("2026-12-01T00:00:00Z"), deliveredAt: time("2026-12-05T16:30:00Z"),
                                 promisedDate: CalendarDate("2026-12-05"), hadException: true)
        let december = try #require(FigureMonth(text: "2026-12"))
        let figures = try #require(ShipmentFigures.contributions(of: late).measures[FigureKey(.carrier, "C1", productLine: FigureKey.allLines, month: december)])
        #expect(figures.shipmentsDelivered == 1 && figures.deliveryPromised == 1 && figures.deliveredOnTime == 0, "00:30 on the 6th in China")
        #expect(figures.shipmentExceptions == 1)
        let waiting = ShipmentFacts(shipmentId: "S2", carrierId: "C1", dispatchedAt: nil, deliveredAt: nil, promisedDate: nil, hadException: false)
        #expect(ShipmentFigures.contributions(of: waiting).isEmpty)
    }
}
