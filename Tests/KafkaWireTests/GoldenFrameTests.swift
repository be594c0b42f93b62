import KafkaWire
import NIOCore
import Testing

@Suite("Golden request frames from real clients")
struct GoldenFrameTests {
    @Test("decodes, and re-encodes to the same bytes", arguments: GoldenFrames.all.map(\.name))
    func roundTrip(name: String) throws {
        let frame = ByteBuffer(hex: GoldenFrames.all.first { $0.name == name }!.hex)
        switch try KafkaRequest.decode(frame: frame) {
        case .unsupportedApiVersions(let header):
            #expect(header.apiKey == ApiKey.apiVersions.rawValue)
            #expect(header.apiVersion == 3)
        case .request(let request):
            var encoded = ByteBuffer()
            request.header.write(to: &encoded)
            request.body.message.write(to: &encoded, version: request.header.apiVersion)
            #expect(encoded.hex == frame.hex)
        }
    }

    @Test("every strict prefix of a frame is rejected with an error, never a crash",
          arguments: GoldenFrames.all.map(\.name))
    func truncated(name: String) throws {
        let frame = ByteBuffer(hex: GoldenFrames.all.first { $0.name == name }!.hex)
        guard case .request = try KafkaRequest.decode(frame: frame) else { return }
        for length in 0..<frame.readableBytes {
            let prefix = frame.getSlice(at: frame.readerIndex, length: length)!
            if case .request(let request)? = try? KafkaRequest.decode(frame: prefix) {
                // Only bodies that end in an optional/empty part may decode from a prefix; then the
                // re-encoding must equal that prefix (no invented bytes).
                var encoded = ByteBuffer()
                request.header.write(to: &encoded)
                request.body.message.write(to: &encoded, version: request.header.apiVersion)
                #expect(encoded.hex == prefix.hex)
            }
        }
    }

    @Test func produceFromKcatCarriesAValidBatch() throws {
        let frame = ByteBuffer(hex: GoldenFrames.all.first { $0.name == "librdkafka 2.0.2 (kcat) produce v7" }!.hex)
        guard case .request(let request) = try KafkaRequest.decode(frame: frame),
              case .produce(let produce) = request.body else {
            Issue.record("not a produce request")
            return
        }
        #expect(request.header.clientID == "rdkafka")
        #expect(produce.acks == -1)
        #expect(produce.topics.map(\.name) == ["golden"])
        let records = try #require(produce.topics[0].partitions[0].records)
        let batches = try RecordBatches.validate(records)
        #expect(batches.count == 1)
        let decoded = try RecordBatches.records(in: batches[0].bytes)
        #expect(decoded.map { $0.record.value.map { String(decoding: $0, as: UTF8.self) } } == ["2"])
        #expect(decoded.map { $0.record.key.map { String(decoding: $0, as: UTF8.self) } } == ["b"])
    }

    @Test func fetchFromKcatAsksToWaitForData() throws {
        let frame = ByteBuffer(hex: GoldenFrames.all.first { $0.name == "librdkafka 2.0.2 (kcat) fetch v11" }!.hex)
        guard case .request(let request) = try KafkaRequest.decode(frame: frame),
              case .fetch(let fetch) = request.body else {
            Issue.record("not a fetch request")
            return
        }
        #expect(fetch.maxWaitMs == 500)
        #expect(fetch.minBytes == 1)
        #expect(fetch.sessionEpoch == -1)
        #expect(fetch.topics.map(\.topic) == ["golden"])
    }
}

extension KafkaRequest.Body {
    var message: any KafkaRequestMessage {
        switch self {
        case .apiVersions(let m): m
        case .produce(let m): m
        case .fetch(let m): m
        case .listOffsets(let m): m
        case .metadata(let m): m
        case .offsetCommit(let m): m
        case .offsetFetch(let m): m
        case .findCoordinator(let m): m
        case .joinGroup(let m): m
        case .heartbeat(let m): m
        case .leaveGroup(let m): m
        case .syncGroup(let m): m
        case .describeGroups(let m): m
        case .listGroups(let m): m
        case .createTopics(let m): m
        case .deleteTopics(let m): m
        case .initProducerId(let m): m
        case .saslHandshake(let m): m
        case .saslAuthenticate(let m): m
        }
    }
}
