import Foundation
import WireFormats
import HubContracts

/// MATMAS05 (message type MATMAS): the material master, one material per E1MARAM.
///
/// - MATKL `<product line code>-<category>` (e.g. `PL03-PCMO`);
/// - the customer-facing product line from the sales data E1MVKEM VTWEG (10/20/30), and the grade
///   from its product hierarchy PRODH after the product line code (`PL03SN5W30` → `SN5W30`);
/// - GROES the package size (`4 L`, `18 L`, `200 kg`, `1 T` bulk), MEINS the unit (ST/PC/EA, L, KG, TO/T);
/// - LVORM (deletion flag) → discontinued; the name is the Chinese E1MAKTM, else the first;
/// - VOLUM/VOLEH (L, LTR, DMQ, ML, M3/MTQ) the litres and NTGEW/GEWEI (KG/KGM, G/GRM, TO/TNE) the net
///   kilograms in one unit of measure; without them, what the package size says (a 4 L can per each:
///   4 L; sold by the litre: 1 L; a 200 kg drum: 200 kg; bulk by the tonne: 1,000 kg);
/// - each E1MBEWM (valuation data) the cost at its valuation area BWKEY (a plant): VPRSV S → the
///   standard price STPRS, V → the moving average price VERPR, each per PEINH units (1 when empty),
///   in the company code's currency (CNY). No E1MBEWM: no valuations (what the hub holds stays).
enum MaterialMasterMapping {
    static func materials(_ document: IDocDocument) throws(IDocError) -> [MaterialUpserted] {
        let materials = document.segments("E1MARAM")
        guard !materials.isEmpty else { throw IDocError("missing segment E1MARAM") }
        return try materials.enumerated().map { (index, segment) throws(IDocError) in try material(segment, number: index + 1) }
    }

    private static func material(_ segment: IDocSegment, number: Int) throws(IDocError) -> MaterialUpserted {
        guard let id = segment["MATNR"] else { throw IDocError("E1MARAM #\(number): MATNR (the material number) is empty") }
        let at = "E1MARAM \(id)"
        let texts = segment.segments("E1MAKTM")
        guard let name = (texts.first { $0["SPRAS_ISO"] == "ZH" } ?? texts.first)?["MAKTX"] else {
            throw IDocError("\(at): missing segment E1MAKTM with MAKTX (the description)")
        }
        guard let group = segment["MATKL"] else { throw IDocError("\(at): MATKL (product line code and category) is empty") }
        let parts = group.split(separator: "-", maxSplits: 1).map(String.init)
        let lineCode = parts[0]
        let category = parts.count > 1 ? parts[1] : group
        let sales = segment.segments("E1MVKEM")
        guard let productLine = sales.lazy.compactMap({ IDocValues.productLine(channel: $0["VTWEG"]) }).first else {
            throw IDocError("\(at): missing segment E1MVKEM with VTWEG 10, 20 or 30 (the product line it is sold in)")
        }
        let hierarchy = sales.lazy.compactMap { $0["PRODH"] }.first
        let grade = hierarchy.map { $0.hasPrefix(lineCode) && $0.count > lineCode.count ? String($0.dropFirst(lineCode.count)) : $0 } ?? category
        guard let size = segment["GROES"] else { throw IDocError("\(at): GROES (the package size) is empty") }
        guard let packageSize = packageSize(size) else { throw IDocError("\(at): GROES \(size) is not a package size (e.g. 4 L, 200 kg, 1 T)") }
        guard let unit = unitOfMeasure(segment["MEINS"]) else {
            throw IDocError("\(at): MEINS \(segment["MEINS"] ?? "(empty)") is not a unit the hub sells in (ST/PC/EA, L, KG, TO/T)")
        }
        let valuations = try segment.segments("E1MBEWM").map { (valuation) throws(IDocError) in try Self.valuation(valuation, at: at) }
        return MaterialUpserted(materialId: id, name: name, productLine: productLine, productLineCode: lineCode, category: category, grade: grade,
                                packageSize: packageSize, unitOfMeasure: unit, status: segment["LVORM"] == nil ? "active" : "discontinued",
                                volumeLitres: try litres(segment, at: at) ?? derivedLitres(packageSize, unit: unit),
                                netWeightKg: try kilograms(segment, at: at) ?? derivedKilograms(packageSize, unit: unit),
                                valuations: valuations.isEmpty ? nil : valuations)
    }

    /// VOLUM in VOLEH, as litres; nil when VOLUM is empty or zero.
    static func litres(_ segment: IDocSegment, at: String) throws(IDocError) -> DecimalNumber? {
        guard let text = segment["VOLUM"], let volume = IDocValues.decimal(text), volume.value > 0 else { return nil }
        guard let (base, factor) = SAPQuantityUnit.base(of: segment["VOLEH"]), base == .litres else {
            throw IDocError("\(at): VOLEH \(segment["VOLEH"] ?? "(empty)") is not a volume unit (L, LTR, DMQ, ML, M3)")
        }
        return DecimalNumber(volume.value * factor)
    }

    /// NTGEW in GEWEI, as kilograms; nil when NTGEW is empty or zero.
    static func kilograms(_ segment: IDocSegment, at: String) throws(IDocError) -> DecimalNumber? {
        guard let text = segment["NTGEW"], let weight = IDocValues.decimal(text), weight.value > 0 else { return nil }
        guard let (base, factor) = SAPQuantityUnit.base(of: segment["GEWEI"]), base == .kilograms else {
            throw IDocError("\(at): GEWEI \(segment["GEWEI"] ?? "(empty)") is not a weight unit (KG, G, TO)")
        }
        return DecimalNumber(weight.value * factor)
    }

    /// Litres per unit of measure from the package: a can or drum of litres sold each, or sold by the litre.
    static func derivedLitres(_ package: MaterialUpserted.PackageSize, unit: String) -> DecimalNumber? {
        switch (package.unit, unit) {
        case ("L", "EA"): package.value
        case (_, "L"): DecimalNumber(1)
        default: nil
        }
    }

    /// Kilograms per unit of measure from the package: a drum of kilograms sold each, by the kilogram, by the tonne.
    static func derivedKilograms(_ package: MaterialUpserted.PackageSize, unit: String) -> DecimalNumber? {
        switch (package.unit, unit) {
        case ("kg", "EA"): package.value
        case (_, "KG"): DecimalNumber(1)
        case (_, "T"): DecimalNumber(1_000)
        default: nil
        }
    }

    /// One E1MBEWM: the plant's cost per unit of measure.
    static func valuation(_ segment: IDocSegment, at: String) throws(IDocError) -> MaterialUpserted.Valuation {
        guard let plant = segment["BWKEY"] else { throw IDocError("\(at): E1MBEWM without BWKEY (the valuation area)") }
        let here = "\(at) E1MBEWM \(plant)"
        let (control, field): (MaterialUpserted.Valuation.PriceControl, String) = switch segment["VPRSV"]?.uppercased() {
        case "S": (.standard, "STPRS")
        case "V": (.movingAverage, "VERPR")
        default: throw IDocError("\(here): VPRSV \(segment["VPRSV"] ?? "(empty)") is not a price control (S standard, V moving average)")
        }
        guard let text = segment[field], let price = IDocValues.decimal(text), price.value >= 0 else {
            throw IDocError("\(here): \(field) \(segment[field] ?? "(empty)") is not a price (a decimal, not negative)")
        }
        var per = Decimal(1)
        if let unitText = segment["PEINH"] {
            guard let units = IDocValues.decimal(unitText), units.value > 0 else { throw IDocError("\(here): PEINH \(unitText) is not a price unit (a positive number)") }
            per = units.value
        }
        // A price per 1,000 units divides evenly; one per 3 does not: six decimals, rounded half up.
        var exact = price.value / per
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 6, .plain)
        return .init(plantId: plant, priceControl: control, unitCost: DecimalNumber(rounded))
    }

    /// `4 L`, `4L`, `200 kg`, `1 T` (bulk, tonnes).
    static func packageSize(_ text: String) -> MaterialUpserted.PackageSize? {
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unitText = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces).uppercased()
        guard let value = DecimalNumber(String(number)), value.value > 0 else { return nil }
        switch unitText {
        case "L": return .init(value: value, unit: "L")
        case "KG": return .init(value: value, unit: "kg")
        case "T", "TO": return .init(value: value, unit: "bulk-t")
        default: return nil
        }
    }

    static func unitOfMeasure(_ text: String?) -> String? {
        switch text?.uppercased() {
        case "ST", "PC", "EA": "EA"
        case "L": "L"
        case "KG": "KG"
        case "TO", "T": "T"
        default: nil
        }
    }
}
