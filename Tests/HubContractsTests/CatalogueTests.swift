import Foundation
import HubContracts
import Testing

@Suite("the topic catalogue")
struct CatalogueTests {
    let catalogue = CatalogueFixture.catalogue

    @Test("it covers every flow the contracts name")
    func coverage() {
        let names = Set(catalogue.topics.map(\.name))
        for required in [
            "erp.in.customers", "erp.in.materials", "erp.in.prices", "erp.in.credit-limits", "erp.in.contracts", "erp.in.funds", "erp.in.stock", "erp.in.order-confirmations", "erp.in.deliveries",
            "erp.out.orders", "carrier.in.shipment-events", "carrier.in.jt808", "abs.in.service-records", "abs.in.service-batches", "anticounterfeit.in.scans",
            "dealer.in.stock-snapshots", "dealer.in.sell-through", "dealer.in.tier2-orders",
            "hub.dealers", "hub.permission-groups", "hub.materials", "hub.price-lists", "hub.warehouses", "hub.contracts", "hub.funds", "hub.orders.commands", "hub.orders.events",
            "hub.orders.updates", "hub.tier2-orders", "hub.delivery-notes", "hub.inventory.movements", "hub.inventory.snapshots", "hub.sell-through",
            "hub.shipments", "hub.vehicles", "hub.vehicles.positions", "hub.service-records", "hub.authenticity",
            "erp.dlq", "carrier.dlq", "abs.dlq", "anticounterfeit.dlq", "dealer.dlq", "hub.core.dlq",
        ] {
            #expect(names.contains(required), "the catalogue has \(required)")
        }
        #expect(catalogue["hub.orders.updates"]?.cleanupPolicy == "compact")
        #expect(catalogue["hub.orders.updates"]?.flow == .outbound)
    }

    @Test("every topic has at least two examples, a key reason, and a schema or a decoder")
    func completeness() {
        for topic in catalogue.topics {
            #expect(topic.examples.count >= 2, "\(topic.name)")
            #expect(!topic.keyReason.isEmpty, "\(topic.name)")
            #expect(topic.partitions >= 1, "\(topic.name)")
            #expect(topic.configs["cleanup.policy"] == topic.cleanupPolicy, "\(topic.name)")
            #expect(topic.isJSON || (topic.decoder != nil && topic.formatDescription != nil), "\(topic.name)")
        }
    }

    @Test("every JSON example validates against its own topic's schema")
    func examplesValidate() {
        var checked = 0
        for topic in catalogue.topics where topic.isJSON {
            for example in topic.examples {
                let verdict = catalogue.validate(topic: topic.name, value: example.bytes)
                #expect(verdict == .valid, "\(topic.name) / \(example.name): \(verdict)")
                checked += 1
            }
        }
        #expect(checked >= 50)
    }

    @Test("canonical examples use the envelope: subject equals the key, id and type present")
    func envelopeExamples() {
        for topic in catalogue.topics where topic.flow == .canonical || topic.name == "hub.orders.updates" {
            for example in topic.examples {
                let value = example.value
                #expect(value?["subject"]?.stringValue == example.key, "\(topic.name) / \(example.name): subject = key")
                #expect(topic.eventTypes.contains(value?["type"]?.stringValue ?? ""), "\(topic.name) / \(example.name): a listed type")
            }
        }
    }

    @Test("non-JSON topics say which decoder reads them")
    func nonJSONVerdict() {
        let verdict = catalogue.validate(topic: "carrier.in.jt808", value: [0x7e, 0x7e])
        #expect(verdict == .notJSON(format: "binary", decoder: "jt808"))
        #expect(catalogue.validate(topic: "no.such.topic", value: []) == .unknownTopic)
    }
}
