/// Summary statistics for latency samples (in microseconds).
public struct LatencySummary: Sendable, CustomStringConvertible {
    public var count: Int
    public var p50: Double
    public var p99: Double
    public var max: Double

    public init(microseconds samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))] }
        p50 = at(0.50)
        p99 = at(0.99)
        max = sorted.last ?? .nan
    }

    public var description: String {
        "n=\(count) p50=\(format(p50 / 1000)) ms p99=\(format(p99 / 1000)) ms max=\(format(max / 1000)) ms"
    }
}

/// Fixed-point formatting without Foundation's locale machinery.
public func format(_ value: Double, decimals: Int = 2) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if decimals == 0 { return String(Int(rounded)) }  // safe: benchmark figures, finite and small
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let places = text.distance(from: dot, to: text.endIndex) - 1
        if places < decimals { text += String(repeating: "0", count: decimals - places) }
    } else if decimals > 0 {
        text += "." + String(repeating: "0", count: decimals)
    }
    return text
}
