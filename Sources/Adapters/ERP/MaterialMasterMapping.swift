import WireFormats
import HubContracts

/// MATMAS05 (message type MATMAS): the material master, one material per E1MARAM.
///
/// - MATKL `<product line code>-<category>` (e.g. `PL03-PCMO`);
/// - the customer-facing product line from the sales data E1MVKEM VTWEG (10/20/30), and the grade
///   from its product hierarchy PRODH after the product line code (`PL03SN5W30` → `SN5W30`);
/// - GROES the package size (`4 L`, `18 L`, `200 kg`, `1 T` bulk), MEINS the unit (ST/PC/EA, L, KG, TO/T);
/// - LVORM (deletion flag) → discontinued; the name is the Chinese E1MAKTM, else the first.
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
        return MaterialUpserted(materialId: id, name: name, productLine: productLine, productLineCode: lineCode, category: category, grade: grade,
                                packageSize: packageSize, unitOfMeasure: unit, status: segment["LVORM"] == nil ? "active" : "discontinued")
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
