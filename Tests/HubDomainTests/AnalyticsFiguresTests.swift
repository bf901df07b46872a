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
        #expect(FigureMonth(year: 987, month: 3)?.text == "0987-03" && FigureMonth(year: 2026, month: 10)?.text == "2026-10")
        #expect(FigureMonth(year: 9999, month: 12)?.adding(months: 1).text == "10000-01")
        #expect(FigureMonth(year: 1, month: 1)?.adding(months: -1).text == "0000-12")
    }

    @Test("every measure has a lane of its own: added, negated, scaled and masked across both vectors")
    func measureLanes() {
        #expect(AnalyticsMeasures.columns.count <= AnalyticsMeasures.capacity)
        var every = AnalyticsMeasures()
        for index in AnalyticsMeasures.columns.indices { every[index] = Int64(index + 1) }
        for index in AnalyticsMeasures.columns.indices { #expect(every[index] == Int64(index + 1), "column \(AnalyticsMeasures.columns[index])") }
        #expect(every.signIns == Int64(AnalyticsMeasures.columns.count) && every.contractedMl == 1)
        #expect(every.nonZeroMask == (1 << UInt64(AnalyticsMeasures.columns.count)) - 1)
        let doubled = every * 2
        #expect((every + every) == doubled && doubled[32] == 66 && doubled[31] == 64)
        #expect((every + -every).isZero && !every.isZero)
        var last = AnalyticsMeasures()
        last.signIns = -3
        #expect(!last.isZero && last.nonZeroMask == 1 << UInt64(AnalyticsMeasures.columns.count - 1))
        last += -last
        #expect(last.isZero && last.nonZeroMask == 0)
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
        let figures = ContractFigures.entries(of: year).contributions
        let january = try #require(FigureMonth(text: "2026-01"))
        #expect(figures.measures[FigureKey(.dealer, "D1", productLine: "automotive-packaged", month: january)]?.contractedMl == 3_100_000)
        #expect(figures.asRead.measures[FigureKey(.branch, "BR-EAST", productLine: FigureKey.allLines, month: january)]?.contractedMl == 3_100_000)
        #expect(!figures.measures.keys.contains { $0.productLine == FigureKey.allLines }, "one product line: its rows are all lines' as well, and no all-lines row is written")
        let dealerMonths = Set(figures.measures.keys.filter { $0.scope == .dealer }.map(\.month))
        #expect(dealerMonths.count == 12)
        let read = figures.asRead
        #expect(dealerMonths.compactMap { read.measures[FigureKey(.dealer, "D1", productLine: FigureKey.allLines, month: $0)]?.contractedMl }.reduce(0, +) == 36_500_000)
        // An awkward total over three days across two months: the shares still add up.
        let odd = ContractFacts(contractId: "K2", attribution: attribution, productLine: "industrial", validFrom: CalendarDate("2026-01-30")!,
                                validTo: CalendarDate("2026-02-01")!, millilitres: 1_000, grams: 1, cancelled: false)
        let oddRows = ContractFigures.entries(of: odd).contributions.measures.filter { $0.key.scope == .company && $0.key.productLine == "industrial" }
        #expect(oddRows.values.map(\.contractedMl).sorted() == [333, 667])
        #expect(oddRows.values.map(\.contractedG).reduce(0, +) == 1)
        var cancelled = year
        cancelled.cancelled = true
        #expect(ContractFigures.entries(of: cancelled).contributions.isEmpty)
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
        let accepted = OrderFigures.entries(of: order(.accepted)).contributions
        let all = FigureKey(.dealer, "D1", productLine: FigureKey.allLines, month: december)
        let acceptedAll = try #require(accepted.asRead.measures[all])
        #expect(acceptedAll.ordersSubmitted == 1 && acceptedAll.ordersValid == 1, "placed 01:00 on 1 December in China")
        #expect(accepted.measures[all]?.ordersSubmitted == -1, "each of its two lines' rows counts the order: the all-lines row takes one back")
        #expect(accepted.measures[FigureKey(.salesRep, "REP-1", productLine: "industrial", month: december)]?.ordersSubmitted == 1)
        #expect(accepted.measures.keys.allSatisfy { $0.scope != .plant && $0.scope != .carrier }, "nothing for the plant or carrier before dispatch")

        let change = FigureContributions.change(from: accepted, to: OrderFigures.entries(of: order(.cancelled)).contributions)
        let changeAll = try #require(change.asRead.measures[all])
        #expect(changeAll.ordersValid == -1 && changeAll.ordersCancelled == 1 && changeAll.ordersSubmitted == 0)

        let rated = OrderFigures.entries(of: order(.rated, dispatched: true)).contributions
        let figures = try #require(rated.asRead.measures[all])
        #expect(figures.ordersExecuted == 1 && figures.takenMl == 40_000 && figures.takenG == 235_000)
        #expect(figures.revenueFen == 150_000 && figures.costFen == 60_000 && figures.uncostedRevenueFen == 50_000)
        #expect(figures.dispatchPromised == 1 && figures.dispatchedOnTime == 1 && figures.confirmDispatchMinutes == 50 * 60 && figures.confirmDispatchCount == 1)
        #expect(figures.ratedOrders == 1 && figures.qualitySum == 5 && figures.receiptSum == 4)
        let plant = try #require(rated.measures[FigureKey(.plant, "P1", productLine: "automotive-packaged", month: december)])
        #expect(plant.takenMl == 40_000 && plant.ordersSubmitted == 0)
        let carrier = try #require(rated.asRead.measures[FigureKey(.carrier, "C1", productLine: FigureKey.allLines, month: december)])
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
        let figures = try #require(ShipmentFigures.entries(of: late).contributions.measures[FigureKey(.carrier, "C1", productLine: FigureKey.allLines, month: december)])
        #expect(figures.shipmentsDelivered == 1 && figures.deliveryPromised == 1 && figures.deliveredOnTime == 0, "00:30 on the 6th in China")
        #expect(figures.shipmentExceptions == 1)
        let waiting = ShipmentFacts(shipmentId: "S2", carrierId: "C1", dispatchedAt: nil, deliveredAt: nil, promisedDate: nil, hadException: false)
        #expect(ShipmentFigures.entries(of: waiting).contributions.isEmpty)
    }

    @Test("an order's change worked out on its entries, then spread, equals the change of its spread rows, at every step of its life")
    func entriesDifferenceEqualsRowsDifference() {
        let steps: [(OrderStatus, Bool)] = [(.submitted, false), (.accepted, false), (.dispatched, true), (.cancelled, false), (.rejected, false)]
        for ((before, wasDispatched), (after, isDispatched)) in zip(steps, steps.dropFirst()) {
            let (old, new) = (order(before, dispatched: wasDispatched), order(after, dispatched: isDispatched))
            var byEntries = OrderFigures.entries(of: new)
            byEntries.subtract(OrderFigures.entries(of: old))
            let byRows = FigureContributions.change(from: OrderFigures.entries(of: old).contributions, to: OrderFigures.entries(of: new).contributions)
            #expect(byEntries.contributions == byRows, "\(before) → \(after)")
            #expect(!byRows.isEmpty, "\(before) → \(after) changes something")
        }
        var same = OrderFigures.entries(of: order(.accepted))
        same.subtract(OrderFigures.entries(of: order(.accepted)))
        #expect(same.isEmpty, "an unchanged order cancels out before it is spread")
    }

    @Test("a period is spread by days with the running total rounded: every amount adds up exactly, a reversed period gives nothing")
    func daySpread() {
        let spread = DaySpread.byMonth([1_000, 1, 0], from: CalendarDate("2026-01-30")!, to: CalendarDate("2026-03-02")!)
        #expect(spread.map(\.month.text) == ["2026-01", "2026-02", "2026-03"])
        #expect(spread.map { $0.shares[0] } == [63, 875, 62], "2, 28 and 2 of 32 days: 62.5 rounds up, the running total 937.5 too")
        #expect(spread.map { $0.shares[1] }.reduce(0, +) == 1 && spread.allSatisfy { $0.shares[2] == 0 })
        #expect(DaySpread.byMonth([5], from: CalendarDate("2026-03-02")!, to: CalendarDate("2026-03-01")!).isEmpty)
        #expect(DaySpread.byMonth([7], from: CalendarDate("2026-03-02")!, to: CalendarDate("2026-03-02")!).map(\.shares) == [[7]])
    }
}
