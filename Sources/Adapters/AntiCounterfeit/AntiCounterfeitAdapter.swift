public import HubContracts
import HubMessaging
public import Logging
public import ServiceLifecycle

/// The anti-counterfeit adapter: its worker and the dealer directory (from `hub.dealers`) it judges
/// cross-region selling with — the services `lubehub adapter anticounterfeit` (and `lubehub serve`) run.
public enum AntiCounterfeitAdapter {
    public static func services(catalogue: TopicCatalogue, dealersTopic: String = TopicName.dealers, configuration: AdapterWorker.Configuration,
                                logger: Logger = Logger(label: "lubehub.adapter.anticounterfeit")) -> [any Service] {
        let directory = DealerDirectory()
        let feed = CanonicalTopicFeed(client: configuration.client, topic: configuration.topicPrefix + dealersTopic, logger: logger) { event in
            if case .dealerUpserted(let dealer) = event.data { directory.record(dealer) }
        }
        return [
            feed,
            AdapterWorker(mapping: CheckedMapping(AntiCounterfeitMapping(catalogue: catalogue, dealers: directory), catalogue: catalogue),
                          configuration: configuration, ready: { await feed.waitUntilLoaded() }, logger: logger),
        ]
    }
}
