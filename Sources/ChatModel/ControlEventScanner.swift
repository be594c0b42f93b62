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
        var r = PlainJSONReader(bytes)
        r.skipSpace()
        guard r.take(UInt8(ascii: "{")) else { return nil }
        var strings = [String?](repeating: nil, count: keys.count)
        var numbers: [Int?] = [nil, nil]
        var seen = 0
        while true {
            guard let name = r.memberName() else { return nil }
            let nameBytes = r.bytes(name)
            guard let field = keys.firstIndex(where: { $0.elementsEqual(nameBytes) }), seen & (1 << field) == 0 else { return nil }
            seen |= 1 << field
            if field == 2 || field == 3 {
                guard let number = r.digits() else { return nil }
                numbers[field - 2] = number
            } else {
                guard let range = r.plainString(), let text = r.string(range) else { return nil }
                strings[field] = text
            }
            guard let more = r.nextMember() else { return nil }
            if !more { break }
        }
        r.skipSpace()
        guard r.atEnd, let rawType = strings[0], let type = ControlEvent.Kind(rawValue: rawType), let user = strings[1],
              let stamp = strings[6], let timestamp = Timestamp.parse(stamp) else { return nil }
        return ControlEvent(type: type, user: user, warnings: numbers[0], limit: numbers[1], channel: strings[4],
                            messageId: strings[5], timestamp: timestamp, reason: strings[7])
    }
}
