/// A sales rep's activity over a period, for its scorecard.
public struct SalesRepActivity: Sendable, Equatable {
    public var assignedDealers: Int
    /// Of those, the dealers its people did something with in the period.
    public var dealersCovered: Int
    /// Activities planned for the period (not cancelled), and of those done.
    public var planned: Int
    public var plannedDone: Int

    public init(assignedDealers: Int, dealersCovered: Int, planned: Int, plannedDone: Int) {
        (self.assignedDealers, self.dealersCovered, self.planned, self.plannedDone) = (assignedDealers, dealersCovered, planned, plannedDone)
    }
}
