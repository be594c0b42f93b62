import Foundation

/// A fast path for `ControlEvent.decode`, like ``ChatMessageScanner``: one pass over the UTF-8
/// bytes of the plain shape events have on the wire — an object of known keys, each at most once,
/// string values without escapes or control bytes (valid UTF-8), `warnings`/`limit` as up to 18
/// digits without sign or leading zero, a known `type` and a timestamp string `Timestamp.parse`
/// accepts. Anything else is nil and goes to the Foundation decoder, so errors and unusual input
/// keep the reference path's exact outcome (`ControlEventScannerTests`, the `control` fuzz target).
enum ControlEventScanner {
    private static let keys: [[UInt8]] = ["type", "user", "warnings", "limit", "channel", "messageId", "timestamp", "reason"]
        .map { Array($0.utf8) }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> ControlEvent? {
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        var i = 0
        func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        func plainString() -> Range<Int>? {
            guard i < n, b[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
                if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
                i += 1
            }
            return nil
        }
        func digits() -> Int? {
            let start = i
            var value = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39, i - start < 18 {
                value = value * 10 + Int(b[i] - 0x30) // safe: a decimal digit, at most 18 of them
                i += 1
            }
            guard i > start, !(b[start] == 0x30 && i - start > 1), i < n, b[i] < 0x30 || b[i] > 0x39 else { return nil }
            return value
        }

        skipSpace()
        guard i < n, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var strings = [String?](repeating: nil, count: keys.count)
        var numbers: [Int?] = [nil, nil]
        var seen = 0
        while true {
            skipSpace()
            guard let name = plainString() else { return nil }
            let nameBytes = UnsafeBufferPointer(rebasing: b[name])
            guard let field = keys.firstIndex(where: { $0.elementsEqual(nameBytes) }), seen & (1 << field) == 0 else { return nil }
            seen |= 1 << field
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            if field == 2 || field == 3 {
                guard let number = digits() else { return nil }
                numbers[field - 2] = number
            } else {
                guard let range = plainString(),
                      let text = String(validating: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) else { return nil }
                strings[field] = text
            }
            skipSpace()
            guard i < n else { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            break
        }
        skipSpace()
        guard i == n, let rawType = strings[0], let type = ControlEvent.Kind(rawValue: rawType), let user = strings[1],
              let stamp = strings[6], let timestamp = Timestamp.parse(stamp) else { return nil }
        return ControlEvent(type: type, user: user, warnings: numbers[0], limit: numbers[1], channel: strings[4],
                            messageId: strings[5], timestamp: timestamp, reason: strings[7])
    }
}
