import Foundation

/// HH:MM without Calendar/DateFormatter.
enum Clock {
    static func hhmm(_ date: Date, _ zone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let ofDay = ((seconds % 86_400) + 86_400) % 86_400
        let h = ofDay / 3600, m = ofDay % 3600 / 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
