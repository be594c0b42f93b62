@testable import KafkaClient
import Testing

@Suite struct KafkaConfigurationTests {
    @Test func passthroughPropertiesAreParsedLikeKcat() throws {
        var configuration = KafkaConfiguration(brokers: "a:1, b:2")
        #expect(configuration.bootstrapServers == ["a:1", "b:2"])
        try configuration.setProperty("socket.timeout.ms=1234")
        try configuration.setProperty("sasl.password=a=b")
        #expect(configuration.extraProperties["socket.timeout.ms"] == "1234")
        #expect(configuration.extraProperties["sasl.password"] == "a=b")
        #expect(throws: KafkaError.self) { try configuration.setProperty("novalue") }
    }

    @Test func aPassthroughAliasReplacesTheTypedSetting() throws {
        var configuration = KafkaConfiguration(brokers: "a:1")
        configuration.linger = .milliseconds(7)
        #expect(configuration.producerProperties["queue.buffering.max.ms"] == "7")
        try configuration.setProperty("linger.ms=0")
        try configuration.setProperty("delivery.timeout.ms=5000")
        let properties = configuration.producerProperties
        #expect(properties["linger.ms"] == "0")
        #expect(properties["queue.buffering.max.ms"] == nil, "the alias must not be overridden by the typed value")
        #expect(properties["delivery.timeout.ms"] == "5000")
        #expect(properties["message.timeout.ms"] == nil)
        try KafkaSession.validate(configuration)
    }

    @Test func unknownLibrdkafkaPropertyIsRejected() throws {
        var configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.extraProperties["no.such.property"] = "1"
        do {
            _ = try KafkaSession(configuration: configuration, logger: testLogger("config-test"))
            Issue.record("KafkaSession accepted an unknown property")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.reason.contains("no.such.property"))
        }
        #expect(throws: KafkaError.self) { try KafkaSession.validate(configuration) }
    }

    @Test func defaultsAreAcceptedByLibrdkafka() throws {
        try KafkaSession.validate(KafkaConfiguration())
        #expect(KafkaSession.librdkafkaVersion.hasPrefix("2."))
    }

    @Test func commitOffsetsAfterBatchTakesMaxPlusOnePerPartition() {
        let messages = [
            ConsumedMessage(topic: "t", partition: 0, offset: 4, key: nil, value: [], timestampMilliseconds: nil),
            ConsumedMessage(topic: "t", partition: 1, offset: 9, key: nil, value: [], timestampMilliseconds: nil),
            ConsumedMessage(topic: "t", partition: 0, offset: 7, key: nil, value: [], timestampMilliseconds: nil),
        ]
        #expect(KafkaSession.commitOffsets(after: messages) == [
            TopicPartitionOffset(topic: "t", partition: 0, offset: .offset(8)),
            TopicPartitionOffset(topic: "t", partition: 1, offset: .offset(10)),
        ])
    }
}
