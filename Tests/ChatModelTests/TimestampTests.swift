import ChatModel
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_371_584.123)) == "2026-11-22T18:19:44.123Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 4_102_444_799.9996)) == "2100-01-01T00:00:00.000Z")
    }

    @Test(arguments: [
        ("2026-11-22T18:19:44.123Z", 1_795_371_584.123),
        ("2026-11-22T18:19:44Z", 1_795_371_584.0),
        ("2026-11-22T18:19:44", 1_795_371_584.0),
        ("2021-10-10 10:10:10", 1_633_860_610.0),
        ("2021-10-10 10:10:10.5", 1_633_860_610.5),
        ("2026-11-22T19:19:44.123+01:00", 1_795_371_584.123),
        ("2026-11-22T13:49:44.123-0430", 1_795_371_584.123),
        ("2026-11-22T20:19:44+02", 1_795_371_584.0),
        ("2026-11-22t18:19:44.123456789z", 1_795_371_584.123456789),
        ("2026-11-22T18:19Z", 1_795_371_540.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func parsesAcceptedFormats(text: String, epoch: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 1e-6)
    }

    @Test(arguments: [
        "", "2021-10-10", "2021-10-10T", "21-10-10 10:10:10", "2021-13-01 00:00:00", "2021-02-29 00:00:00",
        "2021-10-10 24:00:00", "2021-10-10 10:60:00", "2021-10-10 10:10:10.", "2021-10-10 10:10:10 UTC",
        "2021-10-10X10:10:10", "2021-10-10 10:10:10+25:00", "2021/10/10 10:10:10", "１９７０-01-01 00:00:00",
    ])
    func rejectsInvalid(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTripsMilliseconds() {
        for ms in stride(from: Int64(1_600_000_000_000), to: 1_600_000_000_000 + 5_000, by: 7) {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            let text = Timestamp.format(date)
            #expect(Timestamp.format(Timestamp.parse(text)!) == text)
        }
    }

    @Test func formatAndMillisecondsNeverTrap() {
        for seconds in [1e19, -1e19, .infinity, -.infinity, .nan, Double.greatestFiniteMagnitude, 9.3e15] {
            let date = Date(timeIntervalSince1970: seconds)
            _ = Timestamp.format(date)
            let ms = Timestamp.milliseconds(date)
            #expect(abs(ms) <= 253_402_300_799_999)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1e19)) == "9999-12-31T23:59:59.999Z")
    }

    @Test func epochNumbersOutsideTheYearsAreRefused() {
        #expect(Timestamp.date(epochNumber: 1e19) == nil)
        #expect(Timestamp.date(epochNumber: -1e19) == nil)
        #expect(Timestamp.date(epochNumber: .nan) == nil)
        #expect(Timestamp.date(epochNumber: .infinity) == nil)
        #expect(Timestamp.date(epochNumber: 1_795_371_584)?.timeIntervalSince1970 == 1_795_371_584)
        #expect(Timestamp.date(epochNumber: 1_795_371_584_123).map { abs($0.timeIntervalSince1970 - 1_795_371_584.123) < 1e-6 } == true)
        #expect(Timestamp.date(epochNumber: -1_795_371_584_123).map { abs($0.timeIntervalSince1970 + 1_795_371_584.123) < 1e-6 } == true)
    }

    @Test(arguments: ["9999-12-31T23:59:59-23:00", "0000-01-01T00:00:00+01:00"])
    func zoneOffsetsPastTheYearsAreRefused(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}
