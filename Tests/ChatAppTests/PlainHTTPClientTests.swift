import Foundation
import Synchronization
import Testing
@testable import ChatApp

private let url = URL(string: "http://127.0.0.1:1/v1/x")!
private func parse(_ text: String) throws -> PlainHTTPClient.Response {
    try PlainHTTPClient.parse(Array(text.utf8), from: url)
}

@Suite("PlainHTTPClient: answers parsed without trusting them")
struct PlainHTTPClientTests {
    @Test func contentLengthBodiesAreCutAtTheirLength() throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}trailing")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{}")
    }

    @Test func chunkedBodiesAreJoined() throws {
        let response = try parse("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n")
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"a\":1}")
    }

    @Test func aBodyWithoutLengthRunsToTheClose() throws {
        #expect(String(decoding: try parse("HTTP/1.0 404 Not Found\r\n\r\nnope").body, as: UTF8.self) == "nope")
    }

    @Test func malformedAnswersAreErrorsNotCrashes() {
        for text in ["", "HTTP/1.1 200 OK\r\n", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
                     "HTTP/1.1 99999999999999999999999 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"] {
            #expect(throws: APIClientError.self, "\(text.debugDescription)") { try parse(text) }
        }
    }

    @Test func aRequestAndItsAnswerGoOverARealSocket() async throws {
        // A one-shot server: reads the request, answers, closes.
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, size) } }
        listen(server, 1)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(server, $0, &size) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let received = ReceivedRequest()
        let thread = Thread {
            let client = accept(server, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            received.text.withLock { $0 = String(decoding: buffer[0..<max(n, 0)], as: UTF8.self) }
            let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}".utf8)
            _ = answer.withUnsafeBytes { send(client, $0.baseAddress!, $0.count, 0) }
            close(client)
            close(server)
        }
        thread.start()
        let client = APIClient(baseURL: "http://127.0.0.1:\(port)")
        let (status, body) = try await client.exchange("POST", "/v1/login", headers: [("Content-Type", "application/json")],
                                                      body: Data("{}".utf8), timeout: .seconds(5))
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self) == "{\"a\":1}")
        let request = received.text.withLock { $0 }
        #expect(request.hasPrefix("POST /v1/login HTTP/1.1\r\n"))
        #expect(request.contains("Content-Length: 2\r\n"))
        #expect(request.hasSuffix("\r\n\r\n{}"))
    }

    @Test func aRefusedConnectionIsAnError() async {
        let client = APIClient(baseURL: "http://127.0.0.1:1")
        await #expect(throws: APIClientError.self) { try await client.exchange("GET", "/healthz", timeout: .seconds(2)) }
    }
}

private final class ReceivedRequest: Sendable {
    let text = Mutex("")
}
