import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 over a blocking socket, one request per connection (`Connection: close`), run on a
/// short-lived thread of its own: what `APIClient` uses for `http://` addresses (the hub's REST
/// API). URLSession in swift-corelibs-foundation runs its work on libdispatch's worker pool,
/// which keeps several threads alive for seconds after every request (the TUI's thread budget is
/// 16 with its two librdkafka handles), and deadlocks when a task awaiting it is cancelled while
/// the request fails. `https://` addresses still go through URLSession.
///
/// The answer is hostile input: its size is bounded (`maxResponseBytes`), its status line and
/// headers are parsed without trapping, and a malformed one is an error, never a crash.
struct PlainHTTPClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: Data
    }

    /// The most bytes read from one answer (headers and body).
    static let maxResponseBytes = 16 << 20

    var timeout: Duration

    func request(_ method: String, _ url: URL, headers: [(String, String)] = [], body: Data? = nil) async throws -> Response {
        guard url.scheme == "http", let host = url.host, !host.isEmpty else {
            throw APIClientError("PlainHTTPClient speaks http:// only, not \(url)")
        }
        let port = url.port ?? 80
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query { target += "?" + query }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if body != nil || method == "POST" { head += "Content-Length: \(body?.count ?? 0)\r\n" }
        var out = Array((head + "\r\n").utf8)
        if let body { out += body }
        let bytes = out
        let seconds = max(1, Int(truncatingIfNeeded: timeout.components.seconds))
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try Self.parse(try Self.exchange(host: host, port: port, request: bytes, timeoutSeconds: seconds), from: url)
                })
            }
            thread.name = "kchat-http"
            thread.start()
        }
    }

    /// Connects, writes `request`, reads until the server closes (or the limit), all blocking.
    private static func exchange(host: String, port: Int, request: [UInt8], timeoutSeconds: Int) throws -> [UInt8] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)  // safe: a small constant
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw APIClientError("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        var fd: Int32 = -1
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            let candidate = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if candidate >= 0 {
                var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                // On Linux the send timeout bounds connect() too.
                setsockopt(candidate, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(candidate, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                if connect(candidate, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    fd = candidate
                    break
                }
                close(candidate)
            }
            cursor = info.pointee.ai_next
        }
        guard fd >= 0 else { throw APIClientError("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }  // safe: a small constant
            guard n > 0 else { throw APIClientError("sending to \(host):\(port) failed: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var answer: [UInt8] = []
        // Once the headers are in: the whole answer's length (Content-Length), or nil (to the close).
        var expected: Int??
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else {
                throw APIClientError("reading from \(host):\(port) failed: \(errno == EAGAIN ? "timed out" : String(cString: strerror(errno)))")
            }
            answer += chunk[0..<n]
            guard answer.count <= maxResponseBytes else {
                throw APIClientError("\(host):\(port) answered more than \(maxResponseBytes) bytes")
            }
            if expected == nil, let end = headerEnd(answer) { expected = .some(completeLength(answer, headerEnd: end)) }
            if let complete = expected ?? nil, answer.count >= complete { break }
        }
        return answer
    }

    /// The whole answer's length as its complete headers (ending at `end`) say it (Content-Length),
    /// else nil (read to the close). Asked once per answer, not after every read.
    private static func completeLength(_ bytes: [UInt8], headerEnd end: Int) -> Int? {
        let headers = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
        for line in headers.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            guard let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),  // safe: failable parse
                  length >= 0 else { return nil }
            return end + 4 + length
        }
        return nil
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// Status and body of a complete answer (Content-Length, chunked, or up to the close).
    static func parse(_ bytes: [UInt8], from url: URL) throws -> Response {
        guard let end = headerEnd(bytes) else { throw APIClientError("\(url) sent no complete HTTP answer") }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."),
              let status = Int(statusParts[1]), (100...999).contains(status) else {  // safe: failable parse
            throw APIClientError("\(url) sent a malformed status line '\(lines.first?.prefix(80) ?? "")'")
        }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                guard let parsed = Int(value), parsed >= 0 else { throw APIClientError("\(url) sent Content-Length '\(value.prefix(40))'") }  // safe: failable parse
                length = parsed
            } else if name == "transfer-encoding", value.lowercased().contains("chunked") {
                chunked = true
            }
        }
        let rest = Array(bytes[(end + 4)...])
        if chunked { return Response(status: status, body: Data(try dechunk(rest, from: url))) }
        if let length {
            guard rest.count >= length else { throw APIClientError("\(url) closed after \(rest.count) of \(length) body bytes") }
            return Response(status: status, body: Data(rest[..<length]))
        }
        return Response(status: status, body: Data(rest))
    }

    /// Decodes a chunked body: hex size lines, each chunk followed by CRLF, a zero size at the end.
    private static func dechunk(_ bytes: [UInt8], from url: URL) throws -> [UInt8] {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
                throw APIClientError("\(url) sent a truncated chunked body")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {  // safe: failable parse
                throw APIClientError("\(url) sent a malformed chunk size '\(sizeText.prefix(20))'")
            }
            index = lineEnd + 2
            if size == 0 { return body }
            guard size <= bytes.count - index else { throw APIClientError("\(url) sent a truncated chunk") }
            body += bytes[index..<(index + size)]
            index += size + 2
        }
    }
}
