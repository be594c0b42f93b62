import KafkaWire
import NIOCore
import Testing

@Suite("SaslHandshake and SaslAuthenticate")
struct SaslMessageTests {
    @Test func responsesEncodeAsKafkaDefinesThem() throws {
        var handshake = ByteBuffer()
        SaslHandshakeResponse(errorCode: .none, mechanisms: ["PLAIN", "OAUTHBEARER"]).write(to: &handshake, version: 1)
        let expected = "0000" + "00000002" + "0005504c41494e" + "000b4f41555448424541524552"
        #expect(handshake.hex == expected)
        var authenticate = ByteBuffer()
        SaslAuthenticateResponse(errorCode: .saslAuthenticationFailed, errorMessage: "no", sessionLifetimeMs: 0)
            .write(to: &authenticate, version: 1)
        let expectedFailure = "003a" + "0002" + "6e6f" + "00000000" + "0000000000000000"
        #expect(authenticate.hex == expectedFailure)
        var v0 = ByteBuffer()
        SaslAuthenticateResponse(errorCode: .none, errorMessage: nil, authBytes: ByteBuffer(string: "x")).write(to: &v0, version: 0)
        let expectedV0 = "0000" + "ffff" + "00000001" + "78"
        #expect(v0.hex == expectedV0, "v0 has no session lifetime")
        for version in Int16(0)...1 {
            var buffer = ByteBuffer()
            let response = SaslAuthenticateResponse(errorCode: .none, errorMessage: "m", authBytes: ByteBuffer(string: "abc"),
                                                    sessionLifetimeMs: version == 1 ? 60_000 : 0)
            response.write(to: &buffer, version: version)
            #expect(try SaslAuthenticateResponse(from: &buffer, version: version) == response)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test("requests round-trip and every strict prefix is rejected", arguments: [
        (SaslHandshakeRequest(mechanism: "PLAIN").encodedFrame(version: 1, correlationID: 7, clientID: "rdkafka"), "handshake v1"),
        (SaslHandshakeRequest(mechanism: "OAUTHBEARER").encodedFrame(version: 0, correlationID: 7), "handshake v0"),
        (SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\0alice\0pw")).encodedFrame(version: 1, correlationID: 8), "authenticate v1"),
        (SaslAuthenticateRequest(authBytes: ByteBuffer()).encodedFrame(version: 0, correlationID: 8), "authenticate v0 empty"),
    ])
    func roundTrip(frame: ByteBuffer, name: String) throws {
        guard case .request(let request) = try KafkaRequest.decode(frame: frame) else {
            Issue.record("\(name) did not decode")
            return
        }
        var encoded = ByteBuffer()
        request.header.write(to: &encoded)
        request.body.message.write(to: &encoded, version: request.header.apiVersion)
        #expect(encoded.hex == frame.hex)
        for length in 0..<frame.readableBytes {
            #expect(throws: KafkaWireError.self, "\(name) prefix \(length)") {
                try KafkaRequest.decode(frame: frame.getSlice(at: frame.readerIndex, length: length)!)
            }
        }
    }

    @Test func hostileBodiesAreRejected() {
        var nullMechanism = ByteBuffer()
        RequestHeader(apiKey: 17, apiVersion: 1, correlationID: 1, clientID: nil).write(to: &nullMechanism)
        nullMechanism.writeInteger(Int16(-1))
        #expect(throws: KafkaWireError.self) { try KafkaRequest.decode(frame: nullMechanism) }
        var hugeBytes = ByteBuffer()
        RequestHeader(apiKey: 36, apiVersion: 1, correlationID: 1, clientID: nil).write(to: &hugeBytes)
        hugeBytes.writeInteger(Int32.max)
        #expect(throws: KafkaWireError.self) { try KafkaRequest.decode(frame: hugeBytes) }
        var v2 = ByteBuffer()
        RequestHeader(apiKey: 36, apiVersion: 2, correlationID: 1, clientID: nil).write(to: &v2)
        v2.writeInteger(Int32(0))
        #expect(throws: KafkaWireError.self, "v2 is flexible: not spoken") { try KafkaRequest.decode(frame: v2) }
    }
}

@Suite("SASL frames from real clients")
struct SaslGoldenFrameTests {
    private func request(_ name: String) throws -> KafkaRequest {
        let frame = ByteBuffer(hex: try #require(GoldenFrames.all.first { $0.name == name }).hex)
        guard case .request(let request) = try KafkaRequest.decode(frame: frame) else {
            throw KafkaWireError(.malformed, "not a request")
        }
        return request
    }

    @Test func kcatUsesHandshakeV1ThenAuthenticateV0WithAPlainMessage() throws {
        guard case .saslHandshake(let handshake) = try request("librdkafka 2.0.2 (kcat) saslHandshake v1").body else {
            Issue.record("not a handshake")
            return
        }
        #expect(handshake.mechanism == "PLAIN")
        let authenticate = try request("librdkafka 2.0.2 (kcat) saslAuthenticate v0")
        #expect(authenticate.header.apiVersion == 0)
        guard case .saslAuthenticate(let body) = authenticate.body else {
            Issue.record("not an authenticate")
            return
        }
        #expect(Array(body.authBytes.readableBytesView) == Array("\0golden\0golden password".utf8))
    }

    @Test func confluentKafkaUsesOAuthBearerWithAnRFC7628Message() throws {
        guard case .saslHandshake(let handshake) = try request("librdkafka 2.16 (confluent-kafka) saslHandshake v1").body else {
            Issue.record("not a handshake")
            return
        }
        #expect(handshake.mechanism == "OAUTHBEARER")
        guard case .saslAuthenticate(let body) = try request("librdkafka 2.16 (confluent-kafka) saslAuthenticate v1").body else {
            Issue.record("not an authenticate")
            return
        }
        let text = String(decoding: body.authBytes.readableBytesView, as: UTF8.self)
        #expect(text.hasPrefix("n,,\u{1}auth=Bearer ey"))
        #expect(text.hasSuffix("\u{1}\u{1}"))
    }
}
