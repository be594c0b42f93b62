import ChatModel
import Foundation

/// HH:MM without Calendar/DateFormatter.
enum Clock {
    static func hhmm(_ date: Date, _ zone: TimeZone) -> String {
        let ms = Timestamp.milliseconds(date)  // never traps, whatever the date
        let seconds = Int(ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + zone.secondsFromGMT(for: date)  // safe: |ms| < 2.6e14
        let ofDay = ((seconds % 86_400) + 86_400) % 86_400
        let h = ofDay / 3600, m = ofDay % 3600 / 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
