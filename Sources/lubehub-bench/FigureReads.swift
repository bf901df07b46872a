import HubAPI
import HubDomain
@_spi(SQL) import HubStore

/// The three reads the analytics targets name, as the API answers them: a branch scorecard (the
/// branches over `period`, by score), a dealer's page (a random dealer's figures) and the company
/// dashboard (its figures, the branch scorecard and the regional trends).
struct FigureReads: Sendable {
    typealias Read = @Sendable (StoreReader) throws(StoreError) -> Void

    let branchScorecard: Read
    let dealerPage: Read
    let companyDashboard: Read

    init(period: AnalyticsPeriod, dealerIds: [String]) throws {
        let weights = try ScorecardKind.branches.weights(overriding: nil).get()
        let branchScorecard: Read = { reader throws(StoreError) in
            _ = try AnalyticsAnswers.scorecard(.branches, period: period, reach: .all, weights: weights, sort: "score", descending: true, limit: 50, offset: 0, in: reader)
        }
        self.branchScorecard = branchScorecard
        dealerPage = { reader throws(StoreError) in
            _ = try AnalyticsAnswers.figures(.dealer, dealerIds.randomElement() ?? "", name: nil, period: period, in: reader)
        }
        companyDashboard = { reader throws(StoreError) in
            _ = try AnalyticsAnswers.figures(.company, FigureKey.company, name: nil, period: period, in: reader)
            try branchScorecard(reader)
            _ = try reader.analytics.regionalTrends(months: period.months)
        }
    }

    /// Each read under the name the report gives its p99.
    var named: [(name: String, read: Read)] {
        [("branch_scorecard", branchScorecard), ("dealer_page", dealerPage), ("company_dashboard", companyDashboard)]
    }
}
