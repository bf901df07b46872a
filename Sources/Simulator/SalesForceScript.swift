public import Foundation
public import HubContracts

/// The simulated company's sales force at the start of a business run (issue 30): the east
/// branch's sales rep — the one whose account `make demo` creates (`east.rep`) — logs what it did
/// today with some of its dealers and plans tomorrow's visits, two more of the branch's reps log a
/// call each; and one of the rep's tier-1 dealers *went quiet* three months ago (a short history of
/// its own, ordering for four months and then nothing), so the hub's at-risk round follows it up.
/// Pure and seeded; the calls go out over the API (`SalesForceRun`).
public struct SalesForceScript: Sendable {
    /// One API call, as a sales rep (`subject`, `salesRepId`).
    public struct Call: Sendable {
        public var subject: String
        public var salesRepId: String
        public var path: String
        public var body: [UInt8]
    }

    public let company: Company
    /// The east branch's rep of `make demo`'s `east.rep` account, and that account's user id.
    public let salesRepId: String
    public static let repUserId = "U-DEMO0000000003"
    /// The rep's dealer that went quiet.
    public let dormant: Company.Dealer?
    private let dealers: [Company.Dealer]

    public init?(company: Company) {
        let east = company.branches.firstIndex { $0.id == "BR-EAST" } ?? 0
        // As `DemoUsers`: the first east tier-1 dealer with tier-2 dealers is the demo's; its rep is east.rep.
        let parents = Set(company.dealers.compactMap { $0.tier == .tier2 && $0.branch == east ? $0.parentCustomerNumber : nil })
        guard let demoDealer = company.dealers.first(where: { $0.tier == .tier1 && parents.contains($0.customerNumber) }) else { return nil }
        self.company = company
        salesRepId = demoDealer.salesRep
        dealers = company.tier1.filter { $0.salesRep == demoDealer.salesRep }
        dormant = dealers.last { $0.dealerId != demoDealer.dealerId }
    }

    /// The dormant dealer's own short history: four months of orders ending three months before
    /// `now`'s month, as `CompanyHistory` lays them down (order ids `Q…`, its own seed).
    public func dormantHistory(now: Date) -> (company: Company, plan: CompanyHistory.Plan)? {
        guard let dormant else { return nil }
        var alone = company
        alone.dealers = [dormant]
        alone.seed = company.seed &+ 30
        var plan = CompanyHistory.Plan()
        let month = CompanyHistory.monthOf(now)
        let index = month.year * 12 + month.month - 1 - 2  // the month in progress and the two before stay empty
        plan.endingBefore = (index / 12, index % 12 + 1)
        plan.months = 4
        plan.ordersPerDealerMonth = 3
        plan.orderPrefix = "Q"
        plan.firstOrderNumber = 900_000_000
        return (alone, plan)
    }

    /// Today's activities: the rep's visits and calls done with up to six of its dealers (outcomes and
    /// next steps), two visits planned for tomorrow morning, and a call by each of two other east reps.
    public func activities(now: Date, run: String) -> [Call] {
        var random = SeededRandom(seed: company.seed).fork("sales-force-" + run)
        let outcomes = [("visit", "门店陈列已调整，同意下月追加 30 箱", "发送追加订单报价"), ("call", "确认冬季促销价，店主关心到货时间", "周五前回复到货日期"),
                        ("visit", "库存偏高，建议先消化 5W-30", "两周后复查库存"), ("training", "为 6 名技师讲解全合成机油卖点", "寄送培训资料"),
                        ("collection", "收回 11 月货款 ¥38,000", "核对剩余应收"), ("meeting", "讨论明年签约量，初步意向增长 8%", "准备年度合同草案")]
        var calls: [Call] = []
        let mine = dealers.filter { $0.dealerId != dormant?.dealerId }
        for (index, dealer) in mine.prefix(6).enumerated() {
            let (kind, outcome, next) = outcomes[index % outcomes.count]
            let minutes = Double(Int.random(in: 30...300, using: &random))
            calls.append(call(Self.repUserId, salesRepId, [
                "dealerId": dealer.dealerId, "kind": kind, "status": "done", "doneAt": Timestamp(now.addingTimeInterval(-minutes * 60)).text,
                "notes": "\(dealer.name)：例行\(kind == "call" ? "电话" : "拜访")", "outcome": outcome,
                "nextStep": ["action": next, "due": CompanyHistory.chinaDay(now.addingTimeInterval(Double(Int.random(in: 2...10, using: &random)) * 86_400))],
            ]))
        }
        let tomorrow = Self.chinaMorning(after: now)
        for (index, dealer) in mine.dropFirst(6).prefix(2).enumerated() {
            calls.append(call(Self.repUserId, salesRepId, [
                "dealerId": dealer.dealerId, "kind": "visit", "status": "planned", "plannedFor": Timestamp(tomorrow.addingTimeInterval(Double(index) * 7_200)).text,
                "notes": "计划拜访：介绍新品并了解明年需求",
            ]))
        }
        let east = company.branches.firstIndex { $0.id == "BR-EAST" } ?? 0
        let others = Array(Set(company.tier1.filter { $0.branch == east && $0.salesRep != salesRepId }.map(\.salesRep))).sorted().prefix(2)
        for rep in others {
            guard let dealer = company.tier1.first(where: { $0.salesRep == rep }) else { continue }
            calls.append(call("U-rep-\(rep)", rep, [
                "dealerId": dealer.dealerId, "kind": "call", "status": "done", "outcome": "确认本周到货", "notes": "电话回访",
            ]))
        }
        return calls
    }

    private func call(_ subject: String, _ rep: String, _ body: [String: Any]) -> Call {
        Call(subject: subject, salesRepId: rep, path: "/v1/activities", body: Array((try? JSONSerialization.data(withJSONObject: body)) ?? Data()))
    }

    /// 09:00 in China the day after `date`.
    static func chinaMorning(after date: Date) -> Date {
        let day = ((date.timeIntervalSince1970 + TimeInterval(CivilCalendar.chinaStandardTimeOffset)) / 86_400).rounded(.down) + 1
        return Date(timeIntervalSince1970: day * 86_400 + 9 * 3_600 - TimeInterval(CivilCalendar.chinaStandardTimeOffset))
    }
}
