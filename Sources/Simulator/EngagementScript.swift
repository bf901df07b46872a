public import Foundation
import HubContracts
import WireFormats

/// What the simulated company's people do with the hub's engagement side (R5, R6) at the start of
/// a business run: the company publishes a promotion for one branch's automotive dealers (10 % off
/// class A's list price on 200 materials, for a week) and an anonymous satisfaction survey to
/// every tier-1 dealer; some dealers answer it; dealers file a few tickets of each kind —
/// counterfeit reports among them for codes consumers just scanned as fakes (the anti-counterfeit
/// system flags them) and one for a code it never issued; each branch's customer service answers
/// its dealers' tickets and most dealers close theirs with a rating (``followUps(of:matches:)``).
/// Requests as the API takes them, from the company's seed: the same company makes the same script.
public struct EngagementScript {
    /// One API call: as the company's administrator (`dealerId` nil) or as a dealer's user.
    public struct Call: Sendable {
        public var dealerId: String?
        public var path: String
        public var body: [UInt8]
    }

    let company: Company
    var random: SeededRandom

    public init(company: Company, run: String) {
        self.company = company
        random = SeededRandom(seed: company.seed).fork("engagement-" + run)
    }

    /// The promotion: class A's list price less 10 % on the first 200 automotive materials (the orders
    /// of a short run pick among a few thousand), to
    /// the first branch's automotive dealers, from now for a week.
    public func promotion(now: Date) -> Call {
        let branch = company.branches[0]
        let materials = company.materials.filter { $0.channel == "10" }.prefix(200)
        let prices = materials.map { material -> [String: String] in
            let fen = Company.priceFen(material, customerClass: "A") * 9 / 10
            return ["materialId": material.number, "price": "\(fen / 100).\(String(format: "%02d", fen % 100))"]
        }
        let body: [String: Any] = [
            "kind": "promotion", "title": "\(branch.name)冬季车用油促销",
            "body": "**活动期间指定车用油九折。**\n\n- 适用：\(branch.name)车用油经销商\n- 期限：7 天\n- 以订单提交时的促销价为准",
            "expiresAt": Timestamp(now.addingTimeInterval(7 * 86_400)).text,
            "audience": ["branches": [branch.id], "productLines": ["automotive-packaged"]], "promotionPrices": prices,
        ]
        return Call(dealerId: nil, path: "/v1/announcements", body: Self.json(body))
    }

    /// The survey: satisfaction, anonymous, to every tier-1 dealer, open a week.
    public func survey(now: Date) -> Call {
        let body: [String: Any] = [
            "kind": "satisfaction", "title": "经销商季度满意度调查", "intro": "约 2 分钟，匿名填写。", "anonymous": true,
            "closesAt": Timestamp(now.addingTimeInterval(7 * 86_400)).text, "audience": ["tiers": ["tier1"]],
            "questions": [
                ["kind": "scale", "text": "您对本季度的发货速度满意吗？"], ["kind": "scale", "text": "您对客服响应满意吗？"],
                ["kind": "recommend", "text": "您向同行推荐我们产品的可能性有多大？"],
                ["kind": "multiple", "text": "明年您希望增加哪些产品？", "options": ["全合成机油", "液压油", "齿轮油", "防冻液"], "required": false],
                ["kind": "text", "text": "其他建议", "required": false],
            ],
        ]
        return Call(dealerId: nil, path: "/v1/surveys", body: Self.json(body))
    }

    /// `count` tier-1 dealers' answers to the survey `surveyId`: most content, some not.
    public mutating func responses(to surveyId: String, count: Int) -> [Call] {
        let wishes = ["希望增加周末配送。", "订单确认能再快一些。", "促销信息希望提前一周通知。", "=CMD|' /C calc'!A0"]
        return company.tier1.prefix(count).map { dealer in
            var answers: [[String: Any]] = [
                ["questionId": "q1", "score": Int.random(in: 3...5, using: &random)], ["questionId": "q2", "score": Int.random(in: 2...5, using: &random)],
                ["questionId": "q3", "score": Int.random(in: 5...10, using: &random)],
                ["questionId": "q4", "choices": Array(Set((0..<Int.random(in: 1...2, using: &random)).map { _ in Int.random(in: 0...3, using: &random) })).sorted()],
            ]
            if Int.random(in: 0..<4, using: &random) == 0 { answers.append(["questionId": "q5", "text": wishes[Int.random(in: 0..<wishes.count, using: &random)]]) }
            return Call(dealerId: dealer.dealerId, path: "/v1/surveys/\(surveyId)/responses", body: Self.json(["answers": answers]))
        }
    }

    /// Fake cans consumers scan now (the anti-counterfeit system answers FAKE and the adapter flags
    /// each code), and the codes.
    public mutating func fakeScans(at time: Date, count: Int) -> (codes: [String], messages: [ERPDocuments.Message]) {
        var codes: [String] = []
        var messages: [ERPDocuments.Message] = []
        for number in 0..<count {
            let dealer = company.tier1[Int.random(in: 0..<company.tier1.count, using: &random)]
            let code = String(format: "F%07X%08X", number, UInt32(truncatingIfNeeded: Int.random(in: 0...Int(UInt32.max), using: &random)))
            let scan = FieldMessages.Scan(scanId: "SCAN-FAKE-\(company.seed)-\(code)", code: code, materialCode: nil, batch: nil, result: "FAKE",
                                          province: Self.provinceName(dealer.province), city: dealer.city, scanTime: CarrierMessages.localTime(time), dealerCode: nil)
            codes.append(code)
            messages.append(ERPDocuments.Message(topic: TopicName.AntiCounterfeit.scans, key: code, value: SimulatorJSON.bytes(scan)))
        }
        return (codes, messages)
    }

    /// Tickets: suggestions, complaints and product-demand requests from tier-1 dealers, and a
    /// counterfeit report for each of `fakeCodes` and for one code never issued.
    public mutating func tickets(fakeCodes: [String]) -> [Call] {
        let dealers = company.tier1
        func dealer(_ index: Int) -> Company.Dealer { dealers[(index * 37) % dealers.count] }
        var calls: [Call] = []
        let suggestions = ["建议开通周末收货预约", "建议订单页面显示预计到货时间", "希望提供电子发票下载"]
        let complaints = [("到货外包装破损", "本次到货有两箱外包装破损，已拍照留存。"), ("配送延误两天", "承诺周三到货，周五才到，影响门店销售。"), ("发票信息有误", "发票抬头与合同不符，请重开。")]
        let demands = [("希望增加 0W-20 小包装", "门店客户多为混动车型，需求 0W-20 1 升装。"), ("液压油 200 升装缺货", "下月需要 10 桶，请安排生产。")]
        for (index, subject) in suggestions.enumerated() {
            calls.append(Call(dealerId: dealer(index).dealerId, path: "/v1/tickets", body: Self.json(["kind": "suggestion", "subject": subject, "body": subject + "。"])))
        }
        for (index, (subject, text)) in complaints.enumerated() {
            calls.append(Call(dealerId: dealer(10 + index).dealerId, path: "/v1/tickets", body: Self.json(["kind": "complaint", "subject": subject, "body": text])))
        }
        let lines = ["automotive-packaged", "industrial-packaged"]
        for (index, (subject, text)) in demands.enumerated() {
            calls.append(Call(dealerId: dealer(20 + index).dealerId, path: "/v1/tickets",
                              body: Self.json(["kind": "product-demand", "subject": subject, "body": text, "productLine": lines[index % lines.count]])))
        }
        for (index, code) in (fakeCodes + ["NEVER0ISSUED\(company.seed % 1_000)"]).enumerated() {
            let reporter = dealer(30 + index)
            calls.append(Call(dealerId: reporter.dealerId, path: "/v1/tickets", body: Self.json([
                "kind": "counterfeit-report", "subject": "疑似假冒产品", "body": "客户在非授权门店购得，包装印刷模糊，请核实。",
                "counterfeit": ["code": code, "boughtAt": ["province": Self.provinceName(reporter.province), "city": reporter.city]],
            ])))
        }
        return calls
    }

    /// A ticket the dealers filed, as the hub took it.
    public struct FiledTicket: Sendable {
        public var ticketId: String
        public var dealerId: String
        public var kind: String
        public var subject: String

        public init(ticketId: String, dealerId: String, kind: String, subject: String) {
            (self.ticketId, self.dealerId, self.kind, self.subject) = (ticketId, dealerId, kind, subject)
        }
    }

    /// One step of the work on a ticket: by its branch's customer service or by the dealer that filed it,
    /// and the status the ticket has once the hub has applied it.
    public struct TicketStep: Sendable {
        public enum Actor: Sendable, Equatable {
            case branchService(branchId: String)
            case dealer(String)
        }
        public var actor: Actor
        public var path: String
        public var body: [UInt8]
        public var leadsTo: String
    }

    /// What the company's branches and the dealers do with the tickets filed (R6): each branch's
    /// customer service takes its dealers' tickets and answers them — a counterfeit report by what
    /// the anti-counterfeit system says of its code (`matches`: ticket id → the hub's match, as staff
    /// see it) — and most dealers close theirs with a rating. A few stay as a working queue would
    /// have them: one suggestion and one product-demand request still waiting, one suggestion only
    /// assigned, and one complaint whose dealer rated the answer low and reopened it. Per ticket,
    /// its steps in order.
    public mutating func followUps(of tickets: [FiledTicket], matches: [String: String]) -> [[TicketStep]] {
        let lastSuggestion = tickets.lastIndex { $0.kind == "suggestion" }
        let firstSuggestion = tickets.firstIndex { $0.kind == "suggestion" }
        let lastDemand = tickets.lastIndex { $0.kind == "product-demand" }
        let complaints = tickets.indices.filter { tickets[$0].kind == "complaint" }
        let reopened = complaints.count > 1 ? complaints[1] : complaints.first
        return tickets.indices.map { index -> [TicketStep] in
            let ticket = tickets[index]
            guard index != lastSuggestion, index != lastDemand, let branchId = branchId(ofDealer: ticket.dealerId) else { return [] }
            let service = TicketStep.Actor.branchService(branchId: branchId)
            let path = "/v1/tickets/\(ticket.ticketId)"
            var steps = [TicketStep(actor: service, path: path + "/assign", body: Self.json([:]), leadsTo: "assigned")]
            guard index != firstSuggestion else { return steps }
            steps.append(TicketStep(actor: service, path: path + "/messages",
                                    body: Self.json(["body": Self.reply(to: ticket, match: matches[ticket.ticketId]), "answers": true]), leadsTo: "answered"))
            if index == reopened {
                steps.append(TicketStep(actor: .dealer(ticket.dealerId), path: path + "/close",
                                        body: Self.json(["rating": 2, "comment": "只说了原因，没有说怎么补偿。"]), leadsTo: "closed"))
                steps.append(TicketStep(actor: .dealer(ticket.dealerId), path: path + "/reopen",
                                        body: Self.json(["reason": "请说明延误造成损失的补偿方案。"]), leadsTo: "in-progress"))
            } else {
                let rating = ticket.kind == "counterfeit-report" ? 5 : Int.random(in: 3...5, using: &random)
                steps.append(TicketStep(actor: .dealer(ticket.dealerId), path: path + "/close", body: Self.json(["rating": rating]), leadsTo: "closed"))
            }
            return steps
        }
    }

    /// The branch of one of the company's tier-1 dealers (whose customer service its tickets go to).
    public func branchId(ofDealer dealerId: String) -> String? {
        company.tier1.first { $0.dealerId == dealerId }.map { company.branches[$0.branch].id }
    }

    /// A branch's answer to a ticket; a counterfeit report's by what the anti-counterfeit system says of the code.
    static func reply(to ticket: FiledTicket, match: String?) -> String {
        switch ticket.kind {
        case "suggestion":
            return "感谢您的建议（\(ticket.subject)）！已转交相关部门评估，评估结果将在下季度经销商会议上通报。"
        case "complaint":
            return "非常抱歉给您带来不便。关于“\(ticket.subject)”，分公司已在核实，将在 3 个工作日内联系您处理，处理结果在此回复。"
        case "product-demand":
            return "已记录您的需求（\(ticket.subject)）并提交产品线经理，排产计划确定后将第一时间通知您。"
        default:
            switch match {
            case "confirmed":
                return "经防伪系统核实，该防伪码已被消费者扫描判定为假冒。我们已通知稽查部门跟进购买门店，感谢您的举报。"
            case "unknown-code":
                return "经核实，该防伪码不是我司发放的编码，产品为假冒。我们已转交稽查部门，请保留包装和购买凭证。"
            case "cross-region":
                return "该防伪码为正品，但不是供应您所在区域的货物（窜货），已转区域经理处理。"
            case "genuine-code":
                return "该防伪码为正品且在授权区域销售，可放心使用。"
            default:
                return "该防伪码尚无扫描记录，请提供包装照片和购买凭证，以便进一步核实。"
            }
        }
    }

    /// A province's name from its SAP region code (`31` → 上海).
    static func provinceName(_ code: String) -> String { IDocValues.province(region: code) ?? code }

    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}
