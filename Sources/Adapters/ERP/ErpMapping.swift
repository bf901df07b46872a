import Foundation
public import HubContracts

/// The ERP adapter's inbound path, IDoc-XML to canonical events. Today it maps order confirmations
/// (ORDERS05 / ORDRSP on `erp.in.order-confirmations`) to `order.confirmed` on `hub.orders.events`,
/// and credit limits (ZLHCRED01 on `erp.in.credit-limits`) to `dealer.credit-limit-set` on
/// `hub.dealers`; a document of another type is dead-lettered naming it, never guessed at.
public struct ErpMapping: AdapterMapping {
    public let name = "erp"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    private let orderEventsTopic: String
    private let dealersTopic: String

    public init(confirmationsTopic: String = "erp.in.order-confirmations", creditLimitsTopic: String = "erp.in.credit-limits",
                orderEventsTopic: String = "hub.orders.events", dealersTopic: String = "hub.dealers", deadLetterTopic: String = "erp.dlq") {
        self.inputTopics = [confirmationsTopic, creditLimitsTopic]
        self.orderEventsTopic = orderEventsTopic
        self.dealersTopic = dealersTopic
        self.deadLetterTopic = deadLetterTopic
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message: one IDoc-XML document is expected") }
        do {
            let document = try IDocDocument.parse(value)
            return try events(document, record: record)
        } catch {
            return .rejected("IDoc: \(error.description)")
        }
    }

    /// The canonical events of one document (also what `lubehub decode idoc` prints).
    public func events(_ document: IDocDocument, record: RawRecord) throws(IDocError) -> MappingResult {
        switch (document.basicType, document.messageType) {
        case ("ORDERS05", "ORDRSP"):
            let confirmed = try OrderConfirmationMapping.confirmation(document)
            return try encode(record, topic: orderEventsTopic, key: confirmed.orderId, type: "order.confirmed", data: confirmed, document: document)
        case ("ZLHCRED01", _):
            var result = MappingResult()
            for (index, limit) in try CreditLimitMapping.limits(document).enumerated() {
                result.events += try encode(record, index: index, topic: dealersTopic, key: limit.dealerId, type: "dealer.credit-limit-set",
                                            data: limit, document: document).events
            }
            return result
        case (let basicType, let messageType):
            throw IDocError("\(basicType) with message type \(messageType ?? "none") is not one the ERP adapter maps yet (ORDERS05/ORDRSP, ZLHCRED01)")
        }
    }

    private func encode(_ record: RawRecord, index: Int = 0, topic: String, key: String, type: String, data: any CanonicalPayload,
                        document: IDocDocument) throws(IDocError) -> MappingResult {
        let id = record.eventId(index)
        // When the ERP created the document (CREDAT/CRETIM, China Standard Time), so a replay gives the same bytes.
        let occurredAt = IDocValues.instant(date: document.control["CREDAT"], time: document.control["CRETIM"]) ?? Timestamp(Date(timeIntervalSince1970: 0))
        let envelope = CanonicalEvent(id: id, type: type, source: "adapter-erp", occurredAt: occurredAt, subject: key, data: data)
        do {
            return MappingResult(events: [MappedEvent(topic: topic, key: key, id: id, value: try envelope.encoded())])
        } catch {
            throw IDocError("\(type) could not be encoded: \(error.description)")
        }
    }
}

extension IDocValues {
    /// CREDAT (YYYYMMDD) and CRETIM (hhmmss) in China Standard Time, as an instant.
    static func instant(date: String?, time: String?) -> Timestamp? {
        guard let date, let time, date.count == 8, time.count == 6,
              let year = Int(date.prefix(4)), let month = Int(date.dropFirst(4).prefix(2)), let day = Int(date.suffix(2)),
              let hour = Int(time.prefix(2)), let minute = Int(time.dropFirst(2).prefix(2)), let second = Int(time.suffix(2)),
              CivilCalendar.isValid(year: year, month: month, day: day), hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - 8 * 3600
        return Timestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
