import Foundation

/// This process's memory from `/proc/self/status` (Linux), in KiB; nil where it cannot be read.
public enum ProcessMemory {
    /// Resident set size now (`VmRSS`).
    public static var residentKiB: Int? { field("VmRSS:") }
    /// Peak resident set size so far (`VmHWM`).
    public static var peakKiB: Int? { field("VmHWM:") }

    static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let number = line.split(separator: " ").dropFirst().first else { return nil }
        return Int(number)  // safe: failable parse of text
    }
}
