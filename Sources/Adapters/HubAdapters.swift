import WireFormats
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
    /// `topicPrefix` goes before every topic the adapter reads and writes.
    public static func services(named name: String, client: KafkaClientConfiguration, catalogue: TopicCatalogue, instance: String = "0",
                                carrierTopics: CarrierTopics = CarrierTopics(), topicPrefix: String = "", logger: Logger) -> [any Service]? {
        let configuration = AdapterWorker.Configuration(client: client, instance: instance, fetchWaitMax: fetchWaitMax(adapter: name), topicPrefix: topicPrefix)
        switch name {
        case "carrier":
            return CarrierAdapter.services(catalogue: catalogue, topics: carrierTopics, configuration: configuration, logger: logger)
        case "erp", "abs", "dealer":
            return mapping(named: name, catalogue: catalogue).map { [AdapterWorker(mapping: $0, configuration: configuration, logger: logger)] }
        case "anticounterfeit":
            return AntiCounterfeitAdapter.services(catalogue: catalogue, configuration: configuration, logger: logger)
        default:
            return nil
        }
    }

    /// `fetch.wait.max.ms` for an adapter's consumers: short for the ERP's (its confirmations and
    /// deliveries are on an order's way to the dealer), longer for the others, whose inputs nobody
    /// waits on interactively. tansu answers a fetch only when the wait runs out, and each idle
    /// fetch costs it CPU: ten consumers at 10 ms kept it busy at ~145 % of this 2-core machine idle.
    public static func fetchWaitMax(adapter name: String) -> Duration {
        name == "erp" ? .milliseconds(10) : .milliseconds(100)
    }

    /// Every adapter worker's consumer group and the raw topics it reads (unprefixed): what its lag is measured on.
    public static func consumerGroups(catalogue: TopicCatalogue) -> [(group: String, topics: [String])] {
        var mappings: [any AdapterMapping] = [CarrierEventsMapping(catalogue: catalogue), JT808Mapping(registry: TerminalRegistry())]
        mappings += ["erp", "abs", "dealer", "anticounterfeit"].compactMap { mapping(named: $0, catalogue: catalogue) }
        return mappings.map { (AdapterWorker.groupID(mapping: $0.name), $0.inputTopics) }
    }

    /// The mapping of an adapter that runs one worker and needs nothing but the catalogue (erp, abs,
    /// dealer), or the anti-counterfeit one on `dealers`; checked against the catalogue.
    public static func mapping(named name: String, catalogue: TopicCatalogue, dealers: DealerDirectory = DealerDirectory()) -> (any AdapterMapping)? {
        let base: any AdapterMapping
        switch name {
        case "erp": base = ErpMapping()
        case "abs": base = AbsMapping()
        case "dealer": base = DealerMapping(catalogue: catalogue)
        case "anticounterfeit": base = AntiCounterfeitMapping(catalogue: catalogue, dealers: dealers)
        default: return nil
        }
        return CheckedMapping(base, catalogue: catalogue)
    }
}
