import ArgumentParser

enum HostPort {
    static func parse(_ text: String, defaultPort: Int) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { return (text, defaultPort) }
        let host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {  // safe: failable parse of text
            throw ValidationError("'\(text)' is not HOST:PORT")
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
