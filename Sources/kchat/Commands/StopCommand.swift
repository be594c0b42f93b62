import ArgumentParser
import ChatHub
import Foundation

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the background hub.")

    @Option(help: "Data directory of the hub.")
    var data: String = DataDirectory.default

    func run() throws {
        let configuration = HubConfiguration(dataDirectory: data)
        guard try HubProcess.stop(configuration) else {
            throw CommandFailure("no hub is running for \(data)")
        }
        print("hub stopped")
    }
}
