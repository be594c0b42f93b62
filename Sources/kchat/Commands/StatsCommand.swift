import ArgumentParser
import ChatAPIModels
import ChatApp
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Print chat statistics (from the REST API).")

    @Option(help: "The hub's REST API.")
    var api: String = "http://127.0.0.1:8080"

    func run() async throws {
        do {
            for line in try await APIClient(baseURL: api).stats().textLines { print(line) }
        } catch {
            throw CommandFailure("stats: \(error)")
        }
    }
}
