public import HubContracts
public import Kafka
public import Logging
public import ServiceLifecycle

/// The carrier adapter: its JSON events worker, its JT/T 808 worker, and the terminal registry the
/// latter maps terminals with — the services `lubehub adapter carrier` (and `lubehub serve`) run.
public enum CarrierAdapter {
    public static func services(client: KafkaClientConfiguration, catalogue: TopicCatalogue, topics: CarrierTopics = CarrierTopics(),
                                instance: String = "0", logger: Logger = Logger(label: "lubehub.adapter.carrier")) -> [any Service] {
        let registry = TerminalRegistry()
        let feed = CanonicalTopicFeed(client: client, topic: topics.vehicles, logger: logger) { event in
            if let registration = event.data as? VehicleRegistered { registry.register(terminal: registration.terminalId, vehicle: registration.vehicleId) }
        }
        let configuration = AdapterWorker.Configuration(client: client, instance: instance)
        return [
            feed,
            AdapterWorker(mapping: CheckedMapping(CarrierEventsMapping(catalogue: catalogue, topics: topics), catalogue: catalogue), configuration: configuration, logger: logger),
            AdapterWorker(mapping: JT808Mapping(registry: registry, topics: topics), configuration: configuration,
                          ready: { await feed.waitUntilLoaded() }, logger: logger),
        ]
    }
}
