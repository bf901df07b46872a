import Kafka
import KafkaTestSupport
import Testing

@Suite("topic administration")
struct AdminTests {
    @Test("create a topic with partitions and configs, describe it, and creating again changes nothing")
    func createAndDescribe() async throws {
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let name = TestBroker.uniqueName("admin")
        let topic = KafkaNewTopic(name: name, partitions: 4, configs: ["cleanup.policy": "compact", "retention.ms": "3600000"])
        #expect(try await admin.createTopics([topic]) == [name: .created])
        #expect(try await admin.createTopics([topic]) == [name: .alreadyExists])

        let description = try #require(try await admin.describeTopic(name))
        #expect(description.partitions == 4)
        #expect(description.replicationFactor >= 1)
        #expect(description.configs["cleanup.policy"]?.value == "compact")
        #expect(description.configs["retention.ms"]?.value == "3600000")

        let topics = try await admin.listTopics()
        #expect(topics[name] == 4)
    }

    @Test("describing a topic that does not exist answers nil and does not create it")
    func describeMissing() async throws {
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let name = TestBroker.uniqueName("missing")
        #expect(try await admin.describeTopic(name) == nil)
        #expect(try await admin.listTopics()[name] == nil)
    }

    @Test("an invalid topic request fails with a typed error that names the topic")
    func invalidTopic() async throws {
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let name = TestBroker.uniqueName("bad")
        await #expect {
            _ = try await admin.createTopics([KafkaNewTopic(name: name, partitions: -5)])
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .admin && error.message.contains(name)
        }
    }
}
