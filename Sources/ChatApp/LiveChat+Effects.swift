import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient

extension LiveChat {
    /// Executes one effect of the reducer. Called on the UI thread: never blocks.
    public func perform(_ effect: TUIEffect) {
        switch effect {
        case .send(let message):
            send(message)
        case .joinChannel(let channel):
            let connection = lock.withLock { () -> ChatConnection? in
                joined.insert(channel)
                return self.connection
            }
            if let connection { Task { try? await connection.publish(.join(user: user, channel: channel)) } }
        case .leaveChannel(let channel):
            let connection = lock.withLock { () -> ChatConnection? in
                joined.remove(channel)
                return self.connection
            }
            if let connection { Task { try? await connection.publish(.leave(user: user, channel: channel)) } }
        case .requestHistory(let channel, let before):
            let ready = lock.withLock { () -> Bool in
                if !historyReady { waitingHistory.append((channel, before)) }
                return historyReady
            }
            if ready { answerHistory(channel, before: before) }
        case .requestUsers:
            let api = APIClient(baseURL: apiURL)
            Task { [post] in
                do {
                    let users = try await api.users()
                    post(.info(["users: " + users.map { user in
                        user.name + (user.blocked == true ? " (blocked)" : (user.warnings ?? 0) > 0 ? " (\(user.warnings!) warnings)" : "")
                    }.joined(separator: ", ")]))
                } catch {
                    post(.error("/users: \(error)"))
                }
            }
        case .requestStats:
            let api = APIClient(baseURL: apiURL)
            Task { [post] in
                do {
                    post(.info(try await api.stats().textLines))
                } catch {
                    post(.error("/stats: \(error)"))
                }
            }
        case .quit, .bell:
            break
        }
    }

    private func send(_ message: ChatMessage) {
        guard let connection = lock.withLock({ self.connection }) else {
            post(.delivery(id: message.id, result: .failed("not connected to Kafka")))
            return
        }
        do {
            try message.validate()
            let token = try connection.session.produce(topic: configuration.topics.chat, key: Array(message.channel.utf8),
                                                       value: Array(message.jsonData()))
            lock.withLock { pendingTokens[token] = message.id }
        } catch {
            post(.delivery(id: message.id, result: .failed("\(error)")))
        }
    }

    func delivered(_ reports: [DeliveryReport]) {
        for report in reports {
            guard let id = lock.withLock({ pendingTokens.removeValue(forKey: report.token) }) else { continue }
            switch report.result {
            case .acknowledged: post(.delivery(id: id, result: .delivered))
            case .failed(let error): post(.delivery(id: id, result: .failed(error.reason)))
            }
        }
    }

    /// History from what was read from Kafka at start; older pages of public channels come from
    /// the REST API (the store keeps everything).
    func answerHistory(_ channel: String, before: String?) {
        let page: [ChatMessage] = lock.withLock {
            let all = history[channel] ?? []
            guard let before else { return Array(all.suffix(100)) }
            guard let index = all.firstIndex(where: { $0.id == before }) else { return [] }
            return Array(all[max(0, index - 100)..<index])
        }
        guard page.isEmpty, let before, !ChannelName.isDirect(channel) else {
            post(.historyLoaded(channel: channel, messages: page))
            return
        }
        let api = APIClient(baseURL: apiURL)
        Task { [post] in
            let older = (try? await api.history(channel: channel, before: before)) ?? []
            post(.historyLoaded(channel: channel, messages: older))
        }
    }

    /// Sends leave events for the joined channels and closes every Kafka session.
    public func stop() async {
        let (connection, readers, tasks, channels) = lock.withLock { (self.connection, self.readers, self.tasks, joined) }
        if let connection {
            for channel in channels { _ = try? await connection.publish(.leave(user: user, channel: channel)) }
        }
        for reader in readers { await reader.shutdown() }
        for task in tasks { task.cancel() }
        await connection?.shutdown()
    }
}

/// Per-channel history collected from a consumer thread, newest `limit` kept, ids unique.
final class HistoryCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var channels: [String: [ChatMessage]] = [:]
    private var seen: Set<String> = []

    init(limit: Int) { self.limit = limit }

    func add(_ messages: [ChatMessage]) {
        lock.withLock {
            for message in messages where seen.insert(message.id).inserted {
                channels[message.channel, default: []].append(message)
                if channels[message.channel]!.count > limit * 2 {
                    channels[message.channel]!.removeFirst(channels[message.channel]!.count - limit)
                }
            }
        }
    }

    var byChannel: [String: [ChatMessage]] {
        lock.withLock { channels.mapValues { Array($0.suffix(limit)) } }
    }
}

/// My latest block state from `chat_control`'s past.
final class LatestStanding: @unchecked Sendable {
    private let lock = NSLock()
    private var blocked: ControlEvent?

    func note(_ event: ControlEvent) {
        lock.withLock {
            switch event.type {
            case .blocked: blocked = event
            case .unblocked: blocked = nil
            default: break
            }
        }
    }

    var blockedEvent: ControlEvent? { lock.withLock { blocked } }
}
