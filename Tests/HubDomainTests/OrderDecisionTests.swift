import Foundation
import HubContracts
import HubDomain
import Testing

@Suite("order decisions")
struct OrderDecisionTests {
    func order(_ lines: [(Int, String, String, LineKind)], dealer: String = "D1") -> OrderSubmission {
        OrderSubmission(orderId: "O1", dealerId: dealer, lines: lines.map {
            OrderLine(lineNo: $0.0, materialId: $0.1, quantity: DecimalNumber($0.2)!, kind: $0.3)
        }, submittedBy: "U1", channel: .api)
    }

    func context(status: DealerStatus = .active, limit: String = "100000", open: Decimal = 0,
                 stock: [String: [OrderDecisionContext.Availability]] = ["M1": [.init(warehouseId: "W1", available: 50), .init(warehouseId: "W2", locationId: "0001", available: 100)]]) -> OrderDecisionContext {
        OrderDecisionContext(
            dealer: .init(dealerId: "D1", status: status, creditLimit: Money(amount: DecimalNumber(limit)!), openOrderValue: open),
            grantedMaterials: ["M1", "M2", "M5"], knownMaterials: ["M1", "M2", "M3", "M4", "M5"],
            prices: ["M1": Decimal(string: "168.00")!, "M2": Decimal(string: "3150.50")!], availability: stock
        )
    }

    @Test("accepted: lines priced, spot stock reserved across the allowed warehouses in order, made-to-order not reserved")
    func accepted() throws {
        let decision = OrderDecision.decide(order([(1, "M1", "120", .spot), (2, "M2", "2.5", .madeToOrder)]), context: context())
        guard case .accepted(let accepted) = decision else { Issue.record("\(decision)"); return }
        #expect(accepted.lines[0].reservations.map(\.warehouseId) == ["W1", "W2"])
        #expect(accepted.lines[0].reservations.map(\.quantity.value) == [50, 70])
        #expect(accepted.lines[0].amount.value == Decimal(string: "20160")!)
        #expect(accepted.lines[1].reservations.isEmpty)
        #expect(accepted.lines[1].amount.value == Decimal(string: "7876.25")!)
        #expect(accepted.total.amount.value == Decimal(string: "28036.25")!)
    }

    @Test("stock one line takes is not available to the next line of the same order")
    func stockSharedAcrossLines() {
        let decision = OrderDecision.decide(order([(1, "M1", "100", .spot), (2, "M1", "60", .spot)]), context: context())
        guard case .rejected(let rejected) = decision else { Issue.record("\(decision)"); return }
        #expect(rejected.reasons.map(\.code) == [.insufficientStock])
        #expect(rejected.reasons.first?.lineNo == 2)
        #expect(rejected.reasons.first?.message.contains("50 available") == true)
    }

    @Test("rejections carry a reason per line and for the order", arguments: [
        ("inactive dealer", [(1, "M1", "1", LineKind.spot)], DealerStatus.blocked, "100000", RejectionCode.dealerInactive, Int?.none),
        ("material not granted", [(1, "M3", "1", .spot)], .active, "100000", .materialNotInCatalogue, 1),
        ("unknown material", [(1, "M9", "1", .spot)], .active, "100000", .unknownMaterial, 1),
        ("granted but no price", [(1, "M5", "1", .madeToOrder)], .active, "100000", .noPrice, 1),
        ("zero quantity", [(1, "M1", "0", .spot)], .active, "100000", .invalidQuantity, 1),
        ("duplicate line number", [(1, "M1", "1", .spot), (1, "M2", "1", .madeToOrder)], .active, "100000", .duplicateLine, 1),
        ("not enough stock", [(1, "M1", "151", .spot)], .active, "100000", .insufficientStock, 1),
        ("over the credit limit", [(1, "M1", "100", .spot)], .active, "16799.99", .creditLimitExceeded, nil),
    ])
    func rejected(what: String, lines: [(Int, String, String, LineKind)], status: DealerStatus, limit: String, code: RejectionCode, lineNo: Int?) {
        let decision = OrderDecision.decide(order(lines), context: context(status: status, limit: limit))
        guard case .rejected(let rejected) = decision else { Issue.record("\(what): \(decision)"); return }
        #expect(rejected.reasons.contains { $0.code == code && $0.lineNo == lineNo }, "\(what): \(rejected.reasons)")
    }

    @Test("a dealer on credit hold or blocked after a risk review: refused for the order, with the reviewer's reason; a warning or a release orders as before")
    func standing() {
        for (outcome, code) in [(RiskOutcome.creditHold, RejectionCode.dealerHeld), (.blocked, .dealerBlocked)] {
            var held = context()
            held.dealer?.standing = (outcome, "3 张发票逾期 45 天")
            guard case .rejected(let rejected) = OrderDecision.decide(order([(1, "M1", "1", .spot)]), context: held) else { Issue.record("\(outcome) accepted"); continue }
            #expect(rejected.reasons.map(\.code) == [code] && rejected.reasons.first?.lineNo == nil)
            #expect(rejected.reasons.first?.message.contains("3 张发票逾期 45 天") == true, "\(rejected.reasons)")
        }
        for outcome in [RiskOutcome.warning, .noAction, .released] {
            var context = context()
            context.dealer?.standing = (outcome, "已核实")
            guard case .accepted = OrderDecision.decide(order([(1, "M1", "1", .spot)]), context: context) else { Issue.record("\(outcome) refused"); continue }
        }
    }

    @Test("the credit check counts the dealer's open orders")
    func openOrdersCount() {
        let fits = OrderDecision.decide(order([(1, "M1", "10", .spot)]), context: context(limit: "10000", open: 8320))
        let exceeds = OrderDecision.decide(order([(1, "M1", "10", .spot)]), context: context(limit: "10000", open: 8320.01))
        guard case .accepted = fits, case .rejected(let rejected) = exceeds else { Issue.record("\(fits) / \(exceeds)"); return }
        #expect(rejected.reasons.first?.message.contains("exceed the credit limit 10000 CNY") == true)
    }

    @Test("an unknown dealer is rejected, not guessed at")
    func unknownDealer() {
        var unknown = context()
        unknown.dealer = nil
        guard case .rejected(let rejected) = OrderDecision.decide(order([(1, "M1", "1", .spot)]), context: unknown) else { Issue.record("accepted"); return }
        #expect(rejected.reasons.map(\.code) == [.unknownDealer])
    }

    @Test("the decision is a pure function: the same inputs give the same answer")
    func deterministic() {
        let input = order([(1, "M1", "120", .spot), (2, "M2", "3", .madeToOrder)])
        #expect(OrderDecision.decide(input, context: context()) == OrderDecision.decide(input, context: context()))
    }
}

