import Foundation

/// Fast, allocation-light ISO-8601 formatting and parsing (no DateFormatter, fully Sendable).
///
/// - `format` always emits UTC with milliseconds: `2026-11-22T18:19:44.123Z`.
/// - `parse` accepts `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:MM]]`; without a zone
///   designator the time is taken as UTC (so `2021-10-10 10:10:10` is UTC).
/// - Every instant kchat accepts from outside lies in `validSeconds` (years 0000 through 9999, the
///   years the wire form can spell), so whatever reads a `Date` from a message can turn it into
///   milliseconds without overflow.
public enum Timestamp {
    /// Seconds since 1970 of 0000-01-01T00:00:00.000Z through 9999-12-31T23:59:59.999Z.
    public static let validSeconds: ClosedRange<Double> = -62_167_219_200 ... 253_402_300_799.999

    /// True when `seconds` (since 1970) is an instant kchat accepts.
    public static func isValid(seconds: Double) -> Bool { validSeconds.contains(seconds) }

    /// Unix milliseconds of `date`, rounded to nearest. Never traps: an instant outside
    /// `validSeconds` (which no decoded message holds) is clamped to its bounds, NaN is 0.
    public static func milliseconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        if seconds.isNaN { return 0 }
        let clamped = min(max(seconds, validSeconds.lowerBound), validSeconds.upperBound)
        return Int64((clamped * 1000).rounded())  // safe: |clamped| < 2.6e11 s, so < 2.6e14 ms
    }

    /// A date from a value that may be epoch seconds or milliseconds (as JSON producers send
    /// them); nil when it is not finite or outside `validSeconds`.
    public static func date(epochNumber number: Double) -> Date? {
        guard number.isFinite else { return nil }
        // Values beyond year 5138 in seconds are taken as milliseconds.
        let seconds = abs(number) > 1e11 ? number / 1000 : number
        guard isValid(seconds: seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds rounded to nearest).
    public static func format(_ date: Date) -> String {
        var out = [UInt8]()
        out.reserveCapacity(24)
        append(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `format(date)`'s UTF-8 bytes to `out` (what the JSON writers use: no String).
    static func append(_ date: Date, to out: inout [UInt8]) {
        let totalMs = milliseconds(date)
        let (secs, ms) = floorDivMod(totalMs, 1000)
        let (days, secOfDay) = floorDivMod(secs, 86_400)
        let (y, m, d) = civil(fromDays: days)
        /// The last `digits` decimal digits of |value|, zero-padded (no array per call).
        func put(_ value: Int64, _ digits: Int) {
            let v = value < 0 ? 0 &- value : value
            if value < 0 { out.append(UInt8(ascii: "-")) }
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor &*= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v / divisor % 10))
                divisor /= 10
            }
        }
        put(y, 4); out.append(UInt8(ascii: "-"))
        put(m, 2); out.append(UInt8(ascii: "-"))
        put(d, 2); out.append(UInt8(ascii: "T"))
        put(secOfDay / 3600, 2); out.append(UInt8(ascii: ":"))
        put(secOfDay % 3600 / 60, 2); out.append(UInt8(ascii: ":"))
        put(secOfDay % 60, 2); out.append(UInt8(ascii: "."))
        put(ms, 3); out.append(UInt8(ascii: "Z"))
    }

    /// Parses an accepted timestamp string; nil when it is not one.
    public static func parse(_ string: String) -> Date? {
        var s = string
        return s.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        var i = 0
        let n = b.count
        func digits(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var v: Int64 = 0
            for k in i..<(i + count) {
                let c = b[k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)  // safe: a decimal digit, 0...9
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")),
              let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2), i < n else { return nil }
        let sep = b[i]
        guard sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second: Int64 = 0
        var nanos: Int64 = 0
        if expect(UInt8(ascii: ":")) {
            guard let s = digits(2) else { return nil }
            second = s
            if i < n, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var count = 0
                while i < n, b[i] >= 48, b[i] <= 57 {
                    if count < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }  // safe: a decimal digit, 0...9
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                for _ in count..<max(count, 9) { nanos *= 10 }
            }
        }
        var offset: Int64 = 0
        if i < n {
            let z = b[i]
            if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
                i += 1
            } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
                i += 1
                guard let oh = digits(2), oh <= 23 else { return nil }
                var om: Int64 = 0
                if i < n {
                    _ = expect(UInt8(ascii: ":"))
                    guard let m = digits(2), m <= 59 else { return nil }
                    om = m
                }
                offset = (oh * 3600 + om * 60) * (z == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        let days = days(fromCivil: year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        let seconds = Double(secs) + Double(nanos) / 1e9
        // A zone offset can carry 0000-01-01 or 9999-12-31 past the range.
        guard isValid(seconds: seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms)

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
