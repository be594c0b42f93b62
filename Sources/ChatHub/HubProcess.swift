import Foundation

/// Finding, starting and stopping a hub that runs in the background (like tmux's server).
public enum HubProcess {
    /// The pid in the data directory's pid file, if that process is alive.
    public static func runningPID(_ configuration: HubConfiguration) -> pid_t? {
        guard let text = try? String(contentsOfFile: configuration.pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
              kill(pid, 0) == 0 else { return nil }
        return pid
    }

    /// True when something accepts TCP connections at host:port within `timeout`.
    public static func isListening(host: String, port: Int, timeout: TimeInterval = 0.3) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)  // safe: a C constant, or a small timeout of our own (seconds)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return false }
        defer { freeaddrinfo(result) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))  // safe: a C constant, or a small timeout of our own (seconds)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let connected = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
                close(fd)
                if connected { return true }
            }
            entry = info.pointee.ai_next
        }
        return false
    }

    /// Starts `executable serve ...` detached (own session, output to the hub log) and waits
    /// until its broker accepts connections.
    public static func startInBackground(executable: String, arguments: [String], configuration: HubConfiguration,
                                         timeout: TimeInterval = 20) throws {
        try PrivateDirectory.prepare(configuration.dataDirectory)
        let process = Process()
        // In a session of its own (like tmux's server), so closing the terminal does not hang it up.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            process.arguments = [executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let log = try FileHandle.appending(toPath: configuration.outputFile)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if isListening(host: configuration.listenHost, port: configuration.listenPort) { return }
            if !process.isRunning {
                throw HubError("the hub exited at start (status \(process.terminationStatus)); see \(configuration.logFile)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HubError("the hub did not start within \(Int(timeout)) s; see \(configuration.logFile)")  // safe: a C constant, or a small timeout of our own (seconds)
    }

    /// Sends SIGTERM to the background hub and waits for it to exit.
    public static func stop(_ configuration: HubConfiguration, timeout: TimeInterval = 15) throws -> Bool {
        guard let pid = runningPID(configuration) else { return false }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while kill(pid, 0) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            throw HubError("the hub (pid \(pid)) did not stop within \(Int(timeout)) s and was killed")  // safe: a C constant, or a small timeout of our own (seconds)
        }
        return true
    }
}

public struct HubError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
