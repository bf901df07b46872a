import HubContracts
import HubMessaging
import Hummingbird
import Kafka

/// A dealer's own system (its DMS) uploads its stock snapshots and sell-through records (流向):
/// exactly as `dealer.in.stock-snapshots` and `dealer.in.sell-through` define them, checked
/// against their schemas, onto those topics, where the dealer-systems adapter maps them like
/// everything else. A dealer's key (or user) writes only its own dealer's data: a record naming
/// another dealer is refused (422 naming `dealerId`). The Kafka topics themselves are for the
/// company's own integrations, which Kafka's ACLs let write there.
enum DealerSystemRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.post("dealer-system/stock-snapshots") { request, context in
            try await upload(request, context, services, topic: services.commands.topics.dealerStock, catalogueTopic: TopicName.Dealer.stockSnapshots)
        }
        router.post("dealer-system/sell-through") { request, context in
            try await upload(request, context, services, topic: services.commands.topics.dealerSellThrough, catalogueTopic: TopicName.Dealer.sellThrough)
        }
    }

    static func upload(_ request: Request, _ context: APIRequestContext, _ services: APIServices, topic: String, catalogueTopic: String) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer, let dealerId = principal.dealerId else {
            throw APIProblem.forbidden("a dealer's own system (or its users) uploads the dealer's stock and sell-through; a \(principal.role.rawValue) does not")
        }
        let value = JSONValue.object(try await RequestFields.body(of: request, context: context))
        let bytes = Array(value.description.utf8)
        if case .invalid(let problems) = services.commands.catalogue.validate(topic: catalogueTopic, value: bytes) {
            throw APIProblem.unprocessable("the body is not a \(catalogueTopic) message", issues: problems.map { "\($0.path.isEmpty ? "body" : $0.path): \($0.reason)" })
        }
        guard value["dealerId"]?.stringValue == dealerId else {
            throw APIProblem.unprocessable("dealerId: must be your dealer id \(dealerId); a dealer's system writes only its own dealer's data")
        }
        try await services.commands.sendRaw([KafkaProducerMessage(topic: topic, key: Array(dealerId.utf8), value: bytes)])
        return APIResponse.json(.accepted, ["accepted": 1, "topic": catalogueTopic])
    }
}
