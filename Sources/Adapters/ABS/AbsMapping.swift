import Foundation
public import HubContracts

/// The quick-lube ABS adapter: service records (which oil went into which vehicle) as JSON, one per
/// message on `abs.in.service-records`, or as CSV files on `abs.in.service-batches`, to
/// `service-record.created` on `hub.service-records`. In a CSV file the good rows pass and each bad
/// row is dead-lettered alone, with its row number (the header is row 1).
public struct AbsMapping: AdapterMapping {
    public let name = "abs"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    private let recordsTopic: String
    private let outputTopic: String

    public static let csvHeader = ["record_no", "centre_code", "plate", "vin", "material_code", "litres", "service_time", "mileage"]
    public static let maximumRows = 10_000

    public init(recordsTopic: String = TopicName.ABS.serviceRecords, batchesTopic: String = TopicName.ABS.serviceBatches,
                outputTopic: String = TopicName.serviceRecords, deadLetterTopic: String = TopicName.ABS.deadLetters) {
        self.inputTopics = [recordsTopic, batchesTopic]
        self.recordsTopic = recordsTopic
        self.outputTopic = outputTopic
        self.deadLetterTopic = deadLetterTopic
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message") }
        return record.topic == recordsTopic ? mapJSON(value, record: record) : mapCSV(value, record: record)
    }

    /// One service record's fields, however they arrived.
    struct Fields {
        var recordNo: String?, centre: String?, plate: String?, vin: String?, material: String?, litres: String?, time: String?, mileage: String?
    }

    private func mapJSON(_ value: [UInt8], record: RawRecord) -> MappingResult {
        let json: JSONValue
        do {
            json = try JSONParser.parse(value)
        } catch {
            return .rejected("not JSON: \(error.description)")
        }
        let mileage: String? = json["mileage"].flatMap { $0.isInteger ? $0.description : "not an integer" }
        let fields = Fields(recordNo: json["recordNo"]?.stringValue, centre: json["centreCode"]?.stringValue, plate: json["plate"]?.stringValue,
                            vin: json["vin"]?.stringValue, material: json["materialCode"]?.stringValue, litres: json["litres"]?.stringValue,
                            time: json["serviceTime"]?.stringValue, mileage: mileage)
        switch Self.serviceRecord(fields) {
        case .success(let data): return MappingResult(events: [event(data, record: record, index: 0)])
        case .failure(let problem): return .rejected(problem.reason)
        }
    }

    private func mapCSV(_ value: [UInt8], record: RawRecord) -> MappingResult {
        guard value.count <= 4 << 20 else { return .rejected("CSV file of \(value.count) bytes is larger than 4 MiB") }
        return CSVFile.map(value, header: Self.csvHeader, maximumRows: Self.maximumRows) { fields, index in
            let f = fields.map { $0.isEmpty ? nil : $0 }
            return Self.serviceRecord(Fields(recordNo: f[0], centre: f[1], plate: f[2], vin: f[3], material: f[4], litres: f[5], time: f[6], mileage: f[7]))
                .map { event($0, record: record, index: index) }
        }
    }

    static func serviceRecord(_ f: Fields) -> Result<ServiceRecordCreated, MappingProblem> {
        guard let recordNo = f.recordNo, !recordNo.isEmpty, recordNo.count <= 64 else { return .failure(MappingProblem("record number is missing")) }
        guard let centre = f.centre, !centre.isEmpty else { return .failure(MappingProblem("centre code is missing")) }
        guard let material = f.material, !material.isEmpty else { return .failure(MappingProblem("material code is missing")) }
        guard let litresText = f.litres, let litres = DecimalNumber(litresText), litres.value > 0 else {
            return .failure(MappingProblem("litres \(f.litres ?? "(missing)") is not a positive decimal"))
        }
        guard let timeText = f.time, let time = CarrierTime.parse(timeText) else {
            return .failure(MappingProblem("service time \(f.time ?? "(missing)") is neither yyyy-MM-dd HH:mm:ss (UTC+8) nor RFC 3339"))
        }
        var mileage: Int?
        if let text = f.mileage {
            guard let value = Int(text), (0...5_000_000).contains(value) else { return .failure(MappingProblem("mileage \(text) is not 0-5,000,000 km")) }
            mileage = value
        }
        return .success(ServiceRecordCreated(recordId: recordNo, centreId: centre, vehicle: .init(plate: f.plate, vin: f.vin), materialId: material,
                                             quantity: litres, servicedAt: time, mileageKm: mileage))
    }

    private func event(_ data: ServiceRecordCreated, record: RawRecord, index: Int) -> MappedEvent {
        let id = record.eventId(index)
        let envelope = CanonicalEvent(id: id, source: "adapter-abs", occurredAt: data.servicedAt, subject: data.centreId, data: .serviceRecordCreated(data))
        return MappedEvent(topic: outputTopic, key: data.centreId, id: id, value: (try? envelope.encoded()) ?? [])
    }
}
