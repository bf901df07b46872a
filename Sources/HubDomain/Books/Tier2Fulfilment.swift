public import Foundation

/// What a tier-2 order still awaits, and whether a delivery note fits it (R1): a note delivers only
/// materials on the order and, per material, no more than was ordered and not yet delivered (lines
/// of one material add up). Partial notes are fine; the order is delivered when nothing is left.
public struct Tier2Fulfilment: Sendable, Equatable {
    /// Per material: ordered less delivered (never below zero).
    public private(set) var outstanding: [String: Decimal]

    /// `ordered` and `delivered` as (material, quantity) pairs; a material may appear more than once.
    public init(ordered: [(materialId: String, quantity: Decimal)], delivered: [(materialId: String, quantity: Decimal)]) {
        var outstanding: [String: Decimal] = [:]
        for line in ordered { outstanding[line.materialId, default: 0] += line.quantity }
        for line in delivered where outstanding[line.materialId] != nil { outstanding[line.materialId, default: 0] -= line.quantity }
        self.outstanding = outstanding.mapValues { max($0, 0) }
    }

    /// Nothing left to deliver.
    public var isComplete: Bool { outstanding.values.allSatisfy { $0 <= 0 } }

    /// Why a note does not fit the order.
    public enum Misfit: Error, Sendable, Equatable, CustomStringConvertible {
        case notOrdered(lineIndex: Int, materialId: String)
        case beyondOutstanding(materialId: String, outstanding: Decimal, delivering: Decimal)

        public var description: String {
            switch self {
            case .notOrdered(let index, let material): "lines[\(index)].materialId: \(material) is not on the order"
            case .beyondOutstanding(let material, let outstanding, let delivering):
                "\(material): \(delivering) delivered but only \(outstanding) ordered and not yet delivered"
            }
        }
    }

    /// Every reason a note does not fit.
    public struct Misfits: Error, Sendable, Equatable, CustomStringConvertible {
        public var all: [Misfit]
        public var description: String { all.map(\.description).joined(separator: "; ") }
    }

    /// The order after a note delivering `lines`, or every reason the note does not fit.
    public func delivering(_ lines: [(materialId: String, quantity: Decimal)]) -> Result<Tier2Fulfilment, Misfits> {
        var misfits: [Misfit] = []
        var asked: [String: Decimal] = [:]
        var order: [String] = []
        for (index, line) in lines.enumerated() {
            guard outstanding[line.materialId] != nil else {
                misfits.append(.notOrdered(lineIndex: index, materialId: line.materialId))
                continue
            }
            if asked[line.materialId] == nil { order.append(line.materialId) }
            asked[line.materialId, default: 0] += line.quantity
        }
        for material in order {
            let left = outstanding[material] ?? 0
            if let delivering = asked[material], delivering > left {
                misfits.append(.beyondOutstanding(materialId: material, outstanding: left, delivering: delivering))
            }
        }
        guard misfits.isEmpty else { return .failure(Misfits(all: misfits)) }
        var after = self
        for (material, quantity) in asked { after.outstanding[material, default: 0] -= quantity }
        return .success(after)
    }
}
