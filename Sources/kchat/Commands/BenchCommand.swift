import ArgumentParser
import ChatAPI
import ChatBenchmarks
import ChatHub
import EmbeddedBroker
import Foundation
import Logging

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print numbers (see docs/PERFORMANCE.md).",
        subcommands: [Client.self, Matcher.self, Render.self, Startup.self, Store.self, Authorship.self])

    struct Client: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "KafkaClient produce->consume latency (p50/p99 at a fixed rate) and throughput.")

        @Option(help: "Brokers to measure against (default: an embedded broker started for the run).")
        var brokers: String?
        @Option(help: "Messages for the throughput part.")
        var messages: Int = 200_000
        @Option(help: "Messages for the latency part, sent at --rate per second.")
        var latencyMessages: Int = 2000
        @Option var rate: Int = 1000
        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func run() async throws {
            var logger = Logger(label: "kchat.bench")
            logger.logLevel = .error
            var broker: KafkaBroker?
            let target: String
            if let brokers {
                target = brokers
            } else {
                let data = NSTemporaryDirectory() + "kchat-bench-\(UUID().uuidString)"
                broker = try await KafkaBroker.start(BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: data), logger: logger)
                target = "127.0.0.1:\(broker!.port)"
            }
            var bench = ClientBenchmark(brokers: target)
            bench.throughputMessages = messages
            bench.latencyMessages = latencyMessages
            bench.latencyRate = rate
            let result = try await bench.run(logger: logger)
            try? await broker?.shutdown()
            if json {
                print(#"{"p50_us":\#(result.latency.p50),"p99_us":\#(result.latency.p99),"max_us":\#(result.latency.max),"produce_per_s":\#(result.produceMessagesPerSecond),"consume_per_s":\#(result.consumeMessagesPerSecond)}"#)
            } else {
                print("kchat KafkaClient: latency \(result.latency) at \(rate) msg/s")
                print("kchat KafkaClient: produce \(format(result.produceMessagesPerSecond, decimals: 0)) msg/s, consume \(format(result.consumeMessagesPerSecond, decimals: 0)) msg/s (\(messages) x 100 B)")
            }
        }
    }

    struct Matcher: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Profanity matcher throughput on one core.")
        @Option var messages: Int = 200_000

        func run() {
            let benchmark = MatcherBenchmark(messages: messages)
            let (perSecond, matches) = benchmark.run()
            let (referencePerSecond, referenceMatches) = benchmark.runReference()
            let (naivePerSecond, naiveMatches) = benchmark.runNaive()
            let megabytes = MatcherBenchmark.averageBytes / 1e6
            print("matcher: \(format(perSecond, decimals: 0)) msgs/s on one core, "
                + "\(format(perSecond * megabytes, decimals: 1)) MB/s (\(messages) messages, \(matches) matches)")
            print("matcher reference path (Character by Character), same run: \(format(referencePerSecond, decimals: 0)) msgs/s, "
                + "\(format(referencePerSecond * megabytes, decimals: 1)) MB/s (\(referenceMatches) matches)")
            print("naive word-set lookup, same list and run: \(format(naivePerSecond, decimals: 0)) msgs/s, "
                + "\(format(naivePerSecond * megabytes, decimals: 1)) MB/s (\(naiveMatches) matches)")
            print("ratio matcher/naive: \(format(perSecond / naivePerSecond, decimals: 2))x the throughput, "
                + "\(format(Double(matches) / Double(max(naiveMatches, 1)), decimals: 2))x the matches")
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "TUI frame time and memory with a long channel history.")
        @Option var messages: Int = 100_000
        @Option var frames: Int = 300

        func run() {
            let result = RenderBenchmark(messages: messages, frames: frames).run()
            print("render 160x48 with \(messages) messages: at the bottom \(result.frames), scrolled up \(result.scrolledFrames); RSS \(format(result.residentMiB, decimals: 1)) MiB")
            // The alternative a terminal offers: one frame at 60 Hz.
            let budget = 1000.0 / 60
            print("ratio p99 / 60 Hz frame budget (\(format(budget, decimals: 1)) ms): at the bottom "
                + "\(format(result.frames.p99 / 1000 / budget, decimals: 3))x, scrolled up "
                + "\(format(result.scrolledFrames.p99 / 1000 / budget, decimals: 3))x")
        }
    }

    struct Authorship: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderator throughput (decode, check, scan, decide; one core) with signed authorship off and on.")
        @Option var messages: Int = 100_000
        @Option(help: "Distinct users, one token each.")
        var users: Int = 100
        @Option var rounds: Int = 3

        func run() async throws {
            // A throwaway key: what is measured is the check, not whose secret it is.
            let api = try APIConfiguration(jwtSecret: "bench-secret-" + String(repeating: "b", count: 40))
            let authority = TokenAuthority(secret: api.jwtSecret, lifetime: api.tokenLifetime)
            let names = (0..<max(1, users)).map { "user\($0)" }
            var tokens: [String] = []
            for name in names { tokens.append(try await authority.issue(for: name).token) }
            var bench = AuthorshipBenchmark(messages: max(1, messages), users: names, tokens: tokens,
                                            verifier: .tokens(of: authority))
            bench.rounds = rounds
            let result = bench.run()
            print("moderator, authorship off: \(format(result.offPerSecond, decimals: 0)) msgs/s (\(messages) messages, best of \(rounds))")
            print("moderator, authorship on:  \(format(result.onPerSecond, decimals: 0)) msgs/s (\(names.count) tokens: "
                + "\(result.verifications) signature checks, \(result.hits) cache hits, \(result.delivered) delivered)")
            print("ratio on/off: \(format(result.onPerSecond / result.offPerSecond, decimals: 3)) "
                + "(drop \(format(100 * (1 - result.onPerSecond / result.offPerSecond), decimals: 1)) %; target <= 10 %)")
        }
    }

    struct Startup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "TUI start-up: time to the newest message in the TUI state and RSS, with growing history in chat_controlled.")

        @Option(help: "Records in chat_controlled at each measurement, ascending (one topic, filled up to each in turn).")
        var sizes: String = "1000,1000000,10000000"
        @Option(help: "Start-up probes per size (a fresh process each); the one with the median time is reported.")
        var probes: Int = 9
        @Option(help: .hidden) var probeBrokers: String?
        @Option(help: .hidden) var probeNewest: String?

        func run() async throws {
            var logger = Logger(label: "kchat.bench")
            logger.logLevel = .error
            if let probeBrokers, let probeNewest {
                let result = try await StartupProbe(brokers: probeBrokers, channel: StartupBenchmark.channel, newestID: probeNewest)
                    .run(logger: logger)
                print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
                return
            }
            let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }  // safe: failable parse of text
            guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), counts == counts.sorted() else {
                throw ValidationError("--sizes: positive record counts, ascending")
            }
            guard (1...15).contains(probes) else { throw ValidationError("--probes: 1 to 15") }
            let data = NSTemporaryDirectory() + "kchat-bench-startup-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: data) }
            var configuration = BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: data)
            configuration.fsync = false
            let broker = try await KafkaBroker.start(configuration, logger: logger)
            let brokers = "127.0.0.1:\(broker.port)"
            let bench = StartupBenchmark(brokers: brokers)
            var rows: [StartupBenchmark.Row] = []
            var filled = 0
            do {
                for count in counts {
                    let fillStart = Date()
                    let newest = try await bench.fill(from: filled, to: count, logger: logger)
                    let fillSeconds = Date().timeIntervalSince(fillStart)
                    filled = count
                    var results: [StartupProbe.Result] = []
                    for _ in 0..<probes {
                        results.append(try StartupBenchmark.probe(
                            executable: ChatCommand.executablePath,
                            arguments: ["bench", "startup", "--probe-brokers", brokers, "--probe-newest", newest]))
                    }
                    let sorted = results.sorted { $0.seconds < $1.seconds }
                    let row = StartupBenchmark.Row(records: count, fillSeconds: fillSeconds, probe: sorted[sorted.count / 2])
                    print("  probes at \(count) records: " + sorted.map { format($0.seconds * 1000, decimals: 0) + " ms" }
                        .joined(separator: ", "))
                    rows.append(row)
                    print(Self.describe(row))
                }
            } catch {
                try? await broker.shutdown()
                throw error
            }
            try? await broker.shutdown()
            // Beside the first size, the one before the last: past ~900 records (the first window read
            // at start-up) nothing more is read, so that pair shows whether anything still grows.
            guard let first = rows.first, let last = rows.last, rows.count > 1 else { return }
            let pairs = rows.count > 2 ? [(first, last), (rows[rows.count - 2], last)] : [(first, last)]
            for (a, b) in pairs {
                let increase = { (p: StartupProbe.Result, kib: Int) in Double(max(1, kib - p.baselineKiB)) }
                print("ratio \(b.records)/\(a.records) records: time \(format(b.probe.seconds / a.probe.seconds, decimals: 2))x, "
                    + "RSS increase \(format(increase(b.probe, b.probe.residentKiB) / increase(a.probe, a.probe.residentKiB), decimals: 2))x, "
                    + "peak increase \(format(increase(b.probe, b.probe.peakKiB) / increase(a.probe, a.probe.peakKiB), decimals: 2))x "
                    + "(targets: ratio <= 1.5, time < 0.5 s)")
            }
        }

        static func describe(_ row: StartupBenchmark.Row) -> String {
            let p = row.probe
            let mib = { (kib: Int) in format(Double(kib) / 1024, decimals: 1) }
            return "startup with \(row.records) records in chat_controlled: newest message in the TUI state after "
                + "\(format(p.seconds * 1000, decimals: 0)) ms; RSS +\(mib(p.residentKiB - p.baselineKiB)) MiB "
                + "(\(mib(p.baselineKiB)) -> \(mib(p.residentKiB)) MiB), peak +\(mib(p.peakKiB - p.baselineKiB)) MiB; "
                + "\(p.lines) lines (fill \(format(row.fillSeconds, decimals: 1)) s)"
        }
    }

    struct Store: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store ingest rate and history page latency with many stored messages.")
        @Option(help: "sqlite:PATH or postgres://... (default: a fresh SQLite file in a temp directory).")
        var db: String?
        @Option var messages: Int = 1_000_000

        func run() async throws {
            var logger = Logger(label: "kchat.bench")
            logger.logLevel = .error
            let database = db ?? "sqlite:" + NSTemporaryDirectory() + "kchat-bench-\(UUID().uuidString).sqlite"
            let result = try await StoreBenchmark(database: database, messages: messages).run(logger: logger)
            let backend = database.hasPrefix("postgres") ? "PostgreSQL" : "SQLite"
            print("store \(backend), \(messages) messages: ingest \(format(result.ingestPerSecond, decimals: 0)) msgs/s; "
                + "history page (10) newest \(result.newestPage), deep (before=) \(result.deepPage)")
        }
    }
}
