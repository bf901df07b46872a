import Foundation
import HubAPI
import HubContracts
import HubDomain
@_spi(SQL) import HubStore
@_spi(SQL) import StoreTestSupport
import Testing

/// "Why (no) performance" and the sales-rep scorecard's activity measures, read from the store on
/// both databases: a rep with one dealer short of its contract and nobody going there, one on
/// contract and visited; its plans half kept.
@Suite("sales reps: performance beside activities, coverage and plan kept")
struct SalesRepPerformanceTests {
    static let november = AnalyticsPeriod(months: FigureMonth(year: 2026, month: 11)!...FigureMonth(year: 2026, month: 11)!)

    static func seed(_ database: TestDatabase) throws {
        let connection = try database.location.open()
        // 2026-11-10 10:00 and 2026-11-20 10:00 in China.
        let (tenth, twentieth) = (Int64(1_794_276_000_000), Int64(1_795_140_000_000))
        try connection.executeScript("""
            INSERT INTO dealers (dealer_id, name, tier, branch_id, province, sales_rep_id, credit_limit, currency, status) VALUES
                ('D1', '上海一级', 'tier1', 'BR-EAST', '上海', 'R1', '0', 'CNY', 'active'),
                ('D2', '苏州一级', 'tier1', 'BR-EAST', '江苏', 'R1', '0', 'CNY', 'active'),
                ('D3', '北京一级', 'tier1', 'BR-NORTH', '北京', 'R2', '0', 'CNY', 'active');
            INSERT INTO users (user_id, login, display_name, role, sales_rep_id, status, password_hash, version, created_at, updated_at)
            VALUES ('U-R1', 'rep1', '王销售', 'sales-rep', 'R1', 'active', 'x', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
            INSERT INTO analytics_figures (scope, scope_id, product_line, month, contracted_ml, taken_ml, orders_submitted) VALUES
                ('dealer', 'D1', 'automotive-packaged', '2026-11', 1000000, 500000, 2),
                ('dealer', 'D2', 'automotive-packaged', '2026-11', 1000000, 1000000, 4),
                ('dealer', 'D2', 'automotive-packaged', '2025-11', 0, 800000, 3),
                ('sales-rep', 'R1', 'automotive-packaged', '2026-11', 2000000, 1500000, 6);
            INSERT INTO activities (activity_id, version, dealer_id, owner_id, kind, status, planned_for, planned_for_ms, done_at, done_at_ms, recorded_by, updated_at) VALUES
                ('AC-1', 2, 'D2', 'U-R1', 'visit', 'done', '2026-11-10T02:00:00Z', \(tenth), '2026-11-10T02:00:00Z', \(tenth), 'U-R1', '2026-11-10T02:00:00Z'),
                ('AC-2', 1, 'D1', 'U-R1', 'visit', 'planned', '2026-11-20T02:00:00Z', \(twentieth), NULL, NULL, 'U-R1', '2026-11-01T02:00:00Z');
            INSERT INTO orders (order_id, dealer_id, status, version, channel, submitted_by, submitted_at, updated_at) VALUES
                ('O-1', 'D2', 'received', 3, 'api', 'U-D2', '2026-11-09T02:00:00Z', '2026-11-09T02:00:00Z'),
                ('O-2', 'D2', 'accepted', 1, 'api', 'U-D2', '2026-11-12T02:00:00Z', '2026-11-12T02:00:00Z'),
                ('O-3', 'D2', 'cancelled', 2, 'api', 'U-D2', '2026-11-13T02:00:00Z', '2026-11-13T02:00:00Z'),
                ('O-4', 'D1', 'accepted', 1, 'api', 'U-D1', '2026-11-13T02:00:00Z', '2026-11-13T02:00:00Z');
            INSERT INTO tickets (ticket_id, dealer_id, kind, status, subject, opened_at, opened_by, reopened, updated_at, document) VALUES
                ('TK-1', 'D2', 'complaint', 'received', '到货破损', '2026-11-14T02:00:00Z', 'U-D2', 0, '2026-11-14T02:00:00Z', '{}');
            """)
    }

    @Test("the scorecard's coverage and plan kept, and the dealer short of its contract with no activity first", arguments: StoreKind.allCases)
    func performance(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        try Self.seed(database)
        let weights = try ScorecardKind.salesReps.weights(overriding: nil).get()
        let card = try await store.read { reader throws(StoreError) in
            try AnalyticsAnswers.scorecard(.salesReps, period: Self.november, reach: .all, weights: weights, sort: "score", descending: true, limit: 10, offset: 0, in: reader)
        }
        let rep = try #require(card.rows.first { $0.id == "R1" }, "\(card.rows.map(\.id))")
        #expect(rep.measures["activityCoverage"]?.text == "0.5000" && rep.measures["planKept"]?.text == "0.5000", "\(rep.measures)")
        #expect(card.measures.map(\.name).suffix(2) == ["activityCoverage", "planKept"] && weights[.activityCoverage] == 10 && weights[.planKept] == 5)

        let table = try await store.read { reader throws(StoreError) in
            try PerformanceAnswers.table(salesRepId: "R1", period: Self.november, visibleTo: .everyone, in: reader)
        }
        #expect(table.rows.map(\.dealerId) == ["D1", "D2"], "short of its contract and not visited: first")
        #expect(table.rows[0].neglected && table.rows[0].fulfilmentRate.text == "0.5000" && table.rows[0].activitiesDone == 0)
        #expect(!table.rows[1].neglected && table.rows[1].activitiesDone == 1 && table.rows[1].growth.text == "0.2500" && table.rows[1].lastActivityAt != nil)
        #expect(table.fulfilmentRate.text == "0.7500" && table.dealersContacted == 1 && table.activitiesDone == 1 && table.takenVolume == "1500.000")
        let north = try await store.read { reader throws(StoreError) in
            try PerformanceAnswers.table(salesRepId: "R1", period: Self.november, visibleTo: .branch("BR-NORTH"), in: reader)
        }
        #expect(north.rows.isEmpty, "another branch's manager reaches none of R1's dealers")
    }

    @Test("since the rep's last visit: the orders (and of them refused) and tickets at each dealer it has been to; one never visited is not listed",
          arguments: StoreKind.allCases)
    func sinceLastVisit(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        try Self.seed(database)
        let changed = try await store.read { reader throws(StoreError) in try reader.activities.sinceLastVisit(ofOwner: "U-R1") }
        #expect(changed.count == 1 && changed.first?.dealerId == "D2", "D1 was never visited: \(changed)")
        #expect(changed.first.map { [$0.orders, $0.refused, $0.tickets] } == [2, 1, 1], "O-1 came before the visit: \(changed)")
        #expect(try await store.read { reader throws(StoreError) in try reader.activities.sinceLastVisit(ofOwner: "U-R9") }.isEmpty)
    }
}
