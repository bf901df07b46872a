import WireFormats
public import HubContracts
import HubMessaging
public import Logging
public import ServiceLifecycle

/// The carrier adapter: its JSON events worker, its JT/T 808 worker, and the terminal registry the
/// latter maps terminals with — the services `lubehub adapter carrier` (and `lubehub serve`) run.
public enum CarrierAdapter {
    public static func services(catalogue: TopicCatalogue, topics: CarrierTopics = CarrierTopics(), configuration: AdapterWorker.Configuration,
                                logger: Logger = Logger(label: "lubehub.adapter.carrier")) -> [any Service] {
        let registry = TerminalRegistry()
        let feed = CanonicalTopicFeed(client: configuration.client, topic: configuration.topicPrefix + topics.vehicles, logger: logger) { event in
            if case .vehicleRegistered(let registration) = event.data { registry.register(terminal: registration.terminalId, vehicle: registration.vehicleId, carrier: registration.carrierId) }
        }
        return [
            feed,
            AdapterWorker(mapping: CheckedMapping(CarrierEventsMapping(catalogue: catalogue, topics: topics), catalogue: catalogue), configuration: configuration, logger: logger),
            AdapterWorker(mapping: JT808Mapping(registry: registry, topics: topics), configuration: configuration,
                          ready: { await feed.waitUntilLoaded() }, logger: logger),
        ]
    }
}
