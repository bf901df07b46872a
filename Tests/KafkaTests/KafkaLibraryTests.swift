@testable import Kafka
import KafkaTestSupport
import Testing

@Suite("librdkafka version guard and configuration")
struct KafkaLibraryTests {
    @Test("the running librdkafka passes the guard")
    func runningLibraryIsAccepted() throws {
        try KafkaLibrary.checkVersion()
        #expect(KafkaLibrary.versionNumber >= 0x0201_0200)
    }

    @Test("a librdkafka before 2.1.2 is refused with the reason and the fix", arguments: [
        (Int32(0x0200_02ff), "2.0.2"), (Int32(0x0201_01ff), "2.1.1"), (Int32(0x0109_02ff), "1.9.2"),
    ])
    func oldLibraryIsRefused(version: Int32, text: String) {
        #expect {
            try KafkaLibrary.check(versionNumber: version, versionString: text)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .unsupportedLibrary && error.message.contains(text)
                && error.message.contains("scripts/bootstrap") && error.message.contains("2.1.2")
        }
    }

    @Test("2.1.2 and later pass", arguments: [Int32(0x0201_02ff), Int32(0x0208_00ff), Int32(0x0300_00ff)])
    func newLibraryPasses(version: Int32) throws {
        try KafkaLibrary.check(versionNumber: version, versionString: "x")
    }

    @Test("an unknown property fails at creation with librdkafka's own message")
    func unknownProperty() {
        var client = TestBroker.client
        client.properties = ["no.such.property": "1"]
        #expect {
            _ = try KafkaProducer(configuration: .init(client: client))
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .invalidConfiguration && error.message.contains("no.such.property")
                && error.message.contains("No such configuration property")
        }
    }

    @Test("an invalid typed value fails at creation and names the property")
    func invalidValue() {
        #expect {
            _ = try KafkaConsumer(configuration: .init(client: TestBroker.client, groupID: "g", topics: ["t"], sessionTimeout: .milliseconds(-5)))
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .invalidConfiguration && error.message.contains("session.timeout.ms")
        }
    }

    @Test("an unset typed value is not written: only what the user set reaches librdkafka")
    func unsetValuesAreNotWritten() {
        let producer = KafkaProducerConfiguration(client: .init(bootstrapServers: ["b:1"]))
        let names = Set(producer.librdkafkaProperties.map(\.0))
        #expect(names == ["bootstrap.servers", "security.protocol", "enable.idempotence"])
        let consumer = KafkaConsumerConfiguration(client: .init(bootstrapServers: ["b:1"]), groupID: "g", topics: ["t"])
        #expect(Set(consumer.librdkafkaProperties.map(\.0)) == ["bootstrap.servers", "security.protocol", "group.id", "enable.auto.commit"])
    }

    @Test("security settings map to librdkafka's properties")
    func securityProperties() {
        let scram = KafkaSecurity.saslScram(mechanism: .sha512, username: "u", password: "p", tls: KafkaTLS(caLocation: "/ca.pem"))
        let properties = Dictionary(uniqueKeysWithValues: scram.librdkafkaProperties)
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.mechanism"] == "SCRAM-SHA-512")
        #expect(properties["ssl.ca.location"] == "/ca.pem")
        let plain = Dictionary(uniqueKeysWithValues: KafkaSecurity.saslPlain(username: "u", password: "p", tls: nil).librdkafkaProperties)
        #expect(plain["security.protocol"] == "sasl_plaintext")
        #expect(plain["sasl.mechanism"] == "PLAIN")
    }

    @Test("a password in a rejected property is not echoed")
    func passwordNotEchoed() {
        var client = TestBroker.client
        client.properties = ["sasl.password.nope": "secret-value"]
        #expect {
            _ = try KafkaProducer(configuration: .init(client: client))
        } throws: { error in
            !String(describing: error).contains("secret-value")
        }
    }
}
