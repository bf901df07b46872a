import HubContracts
import WireFormats

/// A CSV file carried in one message: UTF-8, its first row the expected header; each data row
/// mapped on its own, a bad row dead-lettered alone with its row number and its own bytes.
enum CSVFile {
    static func map(_ value: [UInt8], header: [String], maximumRows: Int = 10_000,
                    row map: ([String], _ index: Int) -> Result<MappedEvent, MappingProblem>) -> MappingResult {
        guard String(validating: value, as: UTF8.self) != nil else { return .rejected("the CSV file is not UTF-8") }
        let rows: [CSVRow]
        do {
            rows = try CSVRows.parse(value)
        } catch {
            return .rejected("row \(error.row): \(error.reason); the file cannot be split into rows")
        }
        guard let first = rows.first else { return .rejected("empty CSV file") }
        guard first.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == header else {
            return .rejected("row 1: the header must be \(header.joined(separator: ","))")
        }
        guard rows.count > 1 else { return .skip("the CSV file has its header and no rows") }
        guard rows.count - 1 <= maximumRows else { return .rejected("\(rows.count - 1) rows; at most \(maximumRows) in one file") }
        var result = MappingResult()
        for row in rows.dropFirst() {
            guard row.fields.count == header.count else {
                result.rejections.append(MappingRejection("row \(row.number): \(row.fields.count) fields, \(header.count) expected", payload: row.raw))
                continue
            }
            switch map(row.fields, result.events.count) {
            case .success(let event): result.events.append(event)
            case .failure(let problem): result.rejections.append(MappingRejection("row \(row.number): \(problem.reason)", payload: row.raw))
            }
        }
        return result
    }
}

/// Why one record (a row, a line) cannot be mapped.
struct MappingProblem: Error, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    init(stringLiteral value: String) { reason = value }
    init(stringInterpolation: DefaultStringInterpolation) { reason = String(stringInterpolation: stringInterpolation) }
}

/// A JSON message checked against its raw topic's schema in the catalogue: the reason names the field.
enum CatalogueJSON {
    static func read(_ value: [UInt8], topic: String, catalogue: TopicCatalogue) -> Result<JSONValue, MappingProblem> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(value)
        } catch {
            return .failure(MappingProblem("not JSON: \(error.description)"))
        }
        if let definition = catalogue[topic] {
            let issues = catalogue.validate(topic: definition, json: json)
            if !issues.isEmpty { return .failure(MappingProblem("does not match \(topic): " + issues.map(\.description).joined(separator: "; "))) }
        }
        return .success(json)
    }
}
