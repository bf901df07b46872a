public import HubContracts
public import Kafka
public import Logging
public import ServiceLifecycle

/// Every adapter by name, with the services one runs: what `lubehub adapter NAME` runs alone and
/// `lubehub serve` runs all of. Every mapping's canonical output is checked against the catalogue
/// (``CheckedMapping``) but the JT/T 808 one's, whose positions are written field by field from
/// checked numbers at a rate where a schema check per event would cost more than the mapping.
public enum HubAdapters {
    public static let names = ["carrier", "erp", "abs", "dealer", "anticounterfeit"]

    /// `nil` for a name that is not an adapter's.
    public static func services(named name: String, client: KafkaClientConfiguration, catalogue: TopicCatalogue, instance: String = "0",
                                carrierTopics: CarrierTopics = CarrierTopics(), logger: Logger) -> [any Service]? {
        let configuration = AdapterWorker.Configuration(client: client, instance: instance)
        switch name {
        case "carrier":
            return CarrierAdapter.services(client: client, catalogue: catalogue, topics: carrierTopics, instance: instance, logger: logger)
        case "erp":
            return [AdapterWorker(mapping: CheckedMapping(ErpMapping(), catalogue: catalogue), configuration: configuration, logger: logger)]
        case "abs":
            return [AdapterWorker(mapping: CheckedMapping(AbsMapping(), catalogue: catalogue), configuration: configuration, logger: logger)]
        case "dealer":
            return [AdapterWorker(mapping: CheckedMapping(DealerMapping(catalogue: catalogue), catalogue: catalogue), configuration: configuration, logger: logger)]
        case "anticounterfeit":
            return AntiCounterfeitAdapter.services(client: client, catalogue: catalogue, instance: instance, logger: logger)
        default:
            return nil
        }
    }
}
