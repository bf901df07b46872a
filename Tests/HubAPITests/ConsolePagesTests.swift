import Foundation
import HubAPI
import HubConsole
import HubContracts
import HubStore
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's pages, role by role and scope by scope, on the test hub (its router with the
/// console mounted, sessions signed in through the API): who gets a page (200), who may not
/// (403), whose data is another's (404), and nobody signed in (303 to the sign-in page). The
/// expectations are written out here from the issue's rules, not derived from the code.
@Suite("console: every page and role", .serialized)
struct ConsolePagesTests {
    enum Who: String, CaseIterable, Sendable {
        case tier1, tier2, otherTier1, eastManager, northManager, admin, carrier
    }

    static let password = "console pages 2026!"

    @Test("pages by role and scope: 200, 403, 404, or the sign-in page")
    func matrix() async throws {
        let hub = try await APITestHub.shared.value
        let stem = UUID().uuidString.prefix(6).lowercased()
        let logins: [Who: String] = Dictionary(uniqueKeysWithValues: Who.allCases.map { ($0, "cp.\($0.rawValue).\(stem)") })
        func add(_ who: Who) async throws {
            let login = try #require(logins[who])
            switch who {
            case .tier1: try await hub.addUser(login, password: Self.password, role: .dealer, dealerId: "D1")
            case .tier2: try await hub.addUser(login, password: Self.password, role: .dealer, dealerId: "D2")
            case .otherTier1: try await hub.addUser(login, password: Self.password, role: .dealer, dealerId: "D3")
            case .eastManager: try await hub.addUser(login, password: Self.password, role: .branchManager, branchId: "BR-EAST")
            case .northManager: try await hub.addUser(login, password: Self.password, role: .branchManager, branchId: "BR-NORTH")
            case .admin: try await hub.addUser(login, password: Self.password, role: .admin)
            case .carrier:
                let accounts = try #require(hub.services.accounts)
                let hash = try await accounts.hasher.hash(Self.password)
                _ = try await accounts.store.create(UserRecord(userId: "U-CP-CAR-\(stem)", login: login, displayName: "承运商", role: "carrier", carrierId: "CAR-07"),
                                                    passwordHash: hash, by: ChangeActor(id: "test", source: "test"), now: Timestamp(Date())).get()
            }
        }
        for who in Who.allCases { try await add(who) }
        let console = Console(services: hub.services, templates: try ConsoleTemplates())
        let router = APIServer.router(readiness: [], metrics: { "" }, services: hub.services, modules: [console])
        try await Application(router: router).test(.router) { client in
            var sessions: [Who: BrowserSession] = [:]
            for who in Who.allCases {
                let (answer, session) = try await client.signIn(try #require(logins[who]), Self.password)
                sessions[who] = try #require(session, "\(who) signs in: \(answer.text)")
            }
            // A D1 order, as the dealer's own system places it.
            let placed = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"dealerId":"D1","lines":[{"materialId":"M1","quantity":"1"}]}"#)
            let orderId = try #require(placed["orderId"] as? String, "\(placed.text)")
            // A policy for D1's group only, its body hostile.
            let announced = try await client.call(.post, "/v1/announcements", as: APITestHub.admin, hub: hub, body: """
                {"kind":"policy","title":"返利政策 <b>加粗</b>","body":"**请确认**\\n- 第一条\\n<script>alert(1)</script>","requiresAcknowledgement":true,
                 "links":[{"title":"细则","url":"https://example.com/a?b=1&c=2"}],"audience":{"permissionGroups":["PG1"]}}
                """)
            let announcementId = try #require(announced["announcementId"] as? String, "\(announced.text)")
            // A D1 complaint, its subject and text hostile.
            let filed = try await client.call(.post, "/v1/tickets", as: APITestHub.d1, hub: hub,
                                              body: #"{"kind":"complaint","subject":"漏油 <img src=x onerror=alert(1)>","body":"<script>alert(2)</script>\n第二行"}"#)
            let ticketId = try #require(filed["ticketId"] as? String, "\(filed.text)")
            // A survey for D1's group, open a day.
            let closes = Timestamp(Date().addingTimeInterval(86_400)).text
            let surveyed = try await client.call(.post, "/v1/surveys", as: APITestHub.admin, hub: hub, body: """
                {"kind":"satisfaction","title":"满意度 <i>调查</i>","questions":[{"kind":"scale","text":"发货速度"},{"kind":"single","text":"客户","options":["车队","零售"]}],
                 "audience":{"permissionGroups":["PG1"]},"closesAt":"\(closes)"}
                """)
            let surveyId = try #require(surveyed["surveyId"] as? String, "\(surveyed.text)")

            let all = Set(Who.allCases)
            let staff: Set<Who> = [.eastManager, .northManager, .admin]
            let dealers: Set<Who> = [.tier1, .tier2, .otherTier1]
            // (page, who gets 200, who gets 404; everyone else 403)
            let pages: [(String, Set<Who>, Set<Who>)] = [
                ("/", all, []),
                ("/orders", dealers.union(staff), []),
                ("/orders/new", [.tier1, .otherTier1], []),
                ("/orders/\(orderId)", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager, .carrier]),
                ("/catalogue", dealers, []),
                ("/board", staff, []),
                ("/tier2-orders", dealers.union(staff), []),
                ("/tier2-orders/new", [.tier2], []),
                ("/ledger", dealers, staff),
                ("/ledger?dealerId=D1", dealers.union([.eastManager, .admin]), [.northManager]),
                ("/dealers", dealers.union(staff), []),
                ("/dealers/D1", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager]),
                ("/dealers/D2", [.tier1, .tier2, .eastManager, .admin], [.otherTier1, .northManager]),
                ("/shipments", staff.union([.carrier]), []),
                ("/users", [.eastManager, .northManager, .admin], []),
                ("/audit", [.admin], []),
                ("/permission-groups", staff, []),
                ("/permission-groups/new", staff, []),
                ("/permission-groups/PG1", [.eastManager, .admin], [.northManager]),
                ("/permission-groups/PG2", [.northManager, .admin], [.eastManager]),
                ("/dealers/D1/contracts", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager]),
                ("/contracts/new?dealerId=D1", [.eastManager, .admin], [.northManager]),
                ("/contracts/NO-SUCH-CONTRACT", [], [.eastManager, .northManager, .admin]),
                ("/warehouses", staff, []),
                ("/warehouses/new", staff, []),
                ("/warehouses/WH1", [.admin], [.eastManager, .northManager]),
                ("/password", all, []),
                ("/analytics", staff, []),
                ("/analytics/dealers/D1", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager, .carrier]),
                ("/analytics/dealers/D1?from=2026-01-01&to=2026-03-31", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager, .carrier]),
                ("/scorecards/dealers", staff, []),
                ("/scorecards/branches?sort=revenue&order=asc", staff, []),
                ("/scorecards/carriers", staff.union([.carrier]), []),
                ("/scorecards/bogus", [], all),
                ("/announcements", dealers.union(staff), []),
                ("/announcements/new", staff, []),
                ("/announcements/\(announcementId)", staff.union([.tier1]), [.tier2, .otherTier1]),
                ("/announcements/NO-SUCH-ANNOUNCEMENT", [], dealers.union(staff)),
                ("/surveys", dealers.union(staff), []),
                ("/surveys/new", staff, []),
                ("/surveys/\(surveyId)", staff.union([.tier1]), [.tier2, .otherTier1]),
                ("/surveys/\(surveyId)?by=branch", staff.union([.tier1]), [.tier2, .otherTier1]),
                ("/surveys/NO-SUCH-SURVEY", [], dealers.union(staff)),
                ("/tickets", dealers.union(staff), []),
                ("/activities", staff, []),
                ("/flows", dealers.union(staff), []),
                ("/flows?province=%E4%B8%8A%E6%B5%B7&from=2026-01-01&to=2026-12-31", dealers.union(staff), []),
                ("/activities/NO-SUCH-ACTIVITY", [], staff),
                ("/tickets?status=received", dealers.union(staff), []),
                ("/tickets?overdue=true", dealers.union(staff), []),
                ("/tickets/new", dealers, []),
                ("/tickets/\(ticketId)", [.tier1, .eastManager, .admin], [.tier2, .otherTier1, .northManager]),
                ("/tickets/NO-SUCH-TICKET", [], dealers.union(staff)),
            ]
            for (page, allowed, hidden) in pages {
                for who in Who.allCases {
                    let session = try #require(sessions[who])
                    let answer = try await client.call(.get, page, session: session, csrf: false)
                    let expected: HTTPResponse.Status = allowed.contains(who) ? .ok : hidden.contains(who) ? .notFound : .forbidden
                    #expect(answer.status == expected, "\(who) GET \(page): \(answer.status)")
                    #expect(answer.headers[.contentType] == "text/html; charset=utf-8", "\(who) GET \(page) is a page")
                }
                let nobody = try await client.execute(uri: page, method: .get, headers: [:], body: nil) { $0 }
                #expect(nobody.status == .seeOther && nobody.headers[.location]?.hasPrefix("/sign-in?next=") == true, "nobody GET \(page): \(nobody.status)")
            }
            // The trucks' refresh (JSON): staff and carriers; a signed-in dealer 403; nobody 401.
            for who in Who.allCases {
                let answer = try await client.call(.get, "/shipments/positions", session: try #require(sessions[who]), csrf: false)
                #expect(answer.status == (staff.union([.carrier]).contains(who) ? .ok : .forbidden), "\(who) GET /shipments/positions: \(answer.status)")
            }
            let anonymous = try await client.execute(uri: "/shipments/positions", method: .get, headers: [:], body: nil) { $0 }
            #expect(anonymous.status == .unauthorized)
            // What a page shows is the visitor's own: D1's order id on D1's list, not on D3's.
            let ownList = try await client.call(.get, "/orders", session: try #require(sessions[.tier1]), csrf: false)
            let otherList = try await client.call(.get, "/orders", session: try #require(sessions[.otherTier1]), csrf: false)
            #expect(ownList.text.contains(orderId) && !otherList.text.contains(orderId))
            // A dealer's page says how active it is: D1 has just ordered.
            let d1 = try await client.call(.get, "/dealers/D1", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(d1.text.contains("activity-active") && d1.text.contains("距上次下单 0 天"), "\(d1.text.prefix(200))")
            // The dealer's own figures count its people's sign-ins: D1's user signed in above.
            let ownFigures = try await client.call(.get, "/analytics/dealers/D1", session: try #require(sessions[.tier1]), csrf: false)
            let signIns = ownFigures.text.range(of: #"登录次数</span><strong class="kpi-value">(\d+)<"#, options: .regularExpression)
                .flatMap { Int(ownFigures.text[$0].filter(\.isNumber)) }
            #expect((signIns ?? 0) >= 1, "\(String(describing: signIns))")
            // A dealer reads its contracts; its branch manager may also add or adjust one.
            let ownContracts = try await client.call(.get, "/dealers/D1/contracts", session: try #require(sessions[.tier1]), csrf: false)
            let managedContracts = try await client.call(.get, "/dealers/D1/contracts", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(!ownContracts.text.contains("id=\"new-contract\"") && managedContracts.text.contains("id=\"new-contract\""))
            let form = try await client.call(.get, "/contracts/new?dealerId=D1", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(form.text.contains("data-api=\"/v1/contracts/{contractId}\"") && form.text.contains("name=\"dealerId\" value=\"D1\""))
            // An announcement's hostile text is text; the dealer's list marks it unread and to acknowledge; opening it marks it read.
            let inbox = try await client.call(.get, "/announcements", session: try #require(sessions[.tier1]), csrf: false)
            #expect(inbox.text.contains("data-announcement=\"\(announcementId)\" class=\"unread\"") && inbox.text.contains("待确认"), "\(inbox.text)")
            #expect(inbox.text.contains("返利政策 &lt;b&gt;加粗&lt;/b&gt;"))
            let opened = try await client.call(.get, "/announcements/\(announcementId)", session: try #require(sessions[.tier1]), csrf: false)
            #expect(opened.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !opened.text.contains("<script>alert"), "\(opened.text)")
            #expect(opened.text.contains("<strong>请确认</strong>") && opened.text.contains("<li>第一条</li>"))
            #expect(opened.text.contains("data-mark-read=\"/v1/announcements/\(announcementId)/read\"") && opened.text.contains("id=\"acknowledge-form\""))
            #expect(opened.text.contains("href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\""))
            let staffView = try await client.call(.get, "/announcements/\(announcementId)", session: try #require(sessions[.admin]), csrf: false)
            #expect(staffView.text.contains("data-branch=\"BR-EAST\"") && staffView.text.contains("id=\"withdraw-form\""), "\(staffView.text)")
            let eastView = try await client.call(.get, "/announcements/\(announcementId)", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(!eastView.text.contains("id=\"withdraw-form\""), "a branch manager does not withdraw the company's")
            // A ticket's hostile text is text; the dealer may close it, its branch may take and answer it; another branch's queue does not list it.
            let ticket = try await client.call(.get, "/tickets/\(ticketId)", session: try #require(sessions[.tier1]), csrf: false)
            #expect(ticket.text.contains("&lt;script&gt;alert(2)&lt;/script&gt;") && !ticket.text.contains("<script>alert") && !ticket.text.contains("<img src=x"))
            #expect(ticket.text.contains("id=\"close-form\"") && !ticket.text.contains("id=\"assign-form\"") && !ticket.text.contains("id=\"reply-answers\""))
            let desk = try await client.call(.get, "/tickets/\(ticketId)", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(desk.text.contains("id=\"assign-form\"") && desk.text.contains("id=\"reply-answers\"") && !desk.text.contains("id=\"close-form\""),
                    "staff take and answer; they close an answered ticket only")
            let eastQueue = try await client.call(.get, "/tickets", session: try #require(sessions[.eastManager]), csrf: false)
            let northQueue = try await client.call(.get, "/tickets", session: try #require(sessions[.northManager]), csrf: false)
            #expect(eastQueue.text.contains("data-ticket=\"\(ticketId)\"") && !northQueue.text.contains("data-ticket=\"\(ticketId)\""))
            // A survey: the dealer gets the form, a block per question; staff the results by group, and the CSV.
            let survey = try await client.call(.get, "/surveys/\(surveyId)", session: try #require(sessions[.tier1]), csrf: false)
            #expect(survey.text.contains("data-question=\"q1\" data-kind=\"scale\"") && survey.text.contains("满意度 &lt;i&gt;调查&lt;/i&gt;"))
            let results = try await client.call(.get, "/surveys/\(surveyId)", session: try #require(sessions[.admin]), csrf: false)
            #expect(results.text.contains("id=\"survey-dimensions\"") && results.text.contains("format=csv") && !results.text.contains("survey-answer-form"))
            // A branch manager's list of groups is its branch's.
            let eastGroups = try await client.call(.get, "/permission-groups", session: try #require(sessions[.eastManager]), csrf: false)
            #expect(eastGroups.text.contains("data-group=\"PG1\"") && !eastGroups.text.contains("data-group=\"PG2\""))
            let allGroups = try await client.call(.get, "/permission-groups", session: try #require(sessions[.admin]), csrf: false)
            #expect(allGroups.text.contains("data-group=\"PG1\"") && allGroups.text.contains("data-group=\"PG2\""))
        }
    }
}
