import ChatModel
import Foundation
import ProfanityFilter

/// One record read from the `chat` topic.
public typealias ModerationInput = TopicRecord

/// What the moderator publishes for an input.
public enum ModerationOutput: Sendable, Equatable {
    /// The (masked) message of a public channel for `chat_controlled`, key = channel.
    case controlled(ChatMessage)
    /// A (masked) direct message `@a+b` for the inbox of participant `user` (`chat_inbox.<user>`,
    /// key = channel): DMs never go to `chat_controlled`, which every user reads.
    case inbox(ChatMessage, user: String)
    /// A (masked) direct message for the store writer (`chat_private`, key = channel; no user may
    /// read it).
    case privateCopy(ChatMessage)
    /// A control event for `chat_control`, key = user.
    case control(ControlEvent)
    /// Input that could not be used, for `chat_dlq`, with the reason.
    case deadLetter(DeadLetter)
}

/// The moderation decisions, without I/O: mask, warn, block at the limit (the `blocked` event is
/// published by ``BlockDecider``), reject messages of blocked users, and send bad input to the
/// dead-letter topic. A direct message `@a+b` goes to the inboxes of `a` and `b` and to
/// `chat_private` (never to `chat_controlled`); one whose author is neither is a dead letter. Idempotent by message id: feeding
/// the same message twice (a replay after a crash) never issues a second warning or rejection,
/// and feeding back the events of `chat_control` (`apply`) rebuilds the state after a restart or
/// from other moderator instances.
public struct ModerationEngine: Sendable {
    public struct Standing: Sendable, Equatable {
        /// Ids of the messages that earned a warning since the last unblock.
        public var warnedMessages: Set<String> = []
        public var blocked = false
        public var warnings: Int { warnedMessages.count }
    }

    public let matcher: ProfanityMatcher
    public let warningLimit: Int
    public private(set) var users: [String: Standing] = [:]
    /// Every message id that has had a warning or a rejection, ever (never reset), so a replay
    /// after an unblock does not warn again.
    private var handled: Set<String> = []

    public init(matcher: ProfanityMatcher = .default, warningLimit: Int = 3) {
        self.matcher = matcher
        self.warningLimit = warningLimit
    }

    public func standing(of user: String) -> Standing { users[user] ?? Standing() }

    public mutating func moderate(_ input: ModerationInput, now: Date = Date()) -> [ModerationOutput] {
        let message: ChatMessage
        do {
            let channel = input.key.map { String(decoding: $0, as: UTF8.self) }
            message = try ChatMessage.decode(from: Data(input.value), defaultChannel: channel)
            try message.validate()
            if ChannelName.isDirect(message.channel), ChannelName.peer(of: message.channel, me: message.author) == nil {
                throw ChatModelError(.invalidChannel, "\(message.author) is not a participant of \(message.channel)",
                                     field: "channel")
            }
        } catch {
            return [.deadLetter(DeadLetter(reason: "\(error)", topic: input.topic, partition: input.partition,
                                           offset: input.offset, rawKey: input.key, rawValue: input.value, timestamp: now))]
        }
        if standing(of: message.author).blocked {
            guard handled.insert(message.id).inserted else { return [] }
            return [.control(.rejected(user: message.author, channel: message.channel, messageId: message.id,
                                       reason: "\(message.author) is blocked", timestamp: now))]
        }
        let scan = matcher.scan(message.data)
        guard !scan.isClean else { return Self.deliveries(of: message) }
        let maskedCharacters = zip(message.data, scan.masked).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
        var outputs = Self.deliveries(of: message.moderated(data: scan.masked, masked: maskedCharacters))
        guard handled.insert(message.id).inserted else { return outputs }
        var standing = standing(of: message.author)
        standing.warnedMessages.insert(message.id)
        outputs.append(.control(.warning(user: message.author, warnings: standing.warnings, limit: warningLimit,
                                         channel: message.channel, messageId: message.id, timestamp: now)))
        // Blocked here at once, so the author's next messages are rejected; the `blocked` event
        // itself is `BlockDecider`'s, which sees every instance's warnings in one order.
        if standing.warnings >= warningLimit { standing.blocked = true }
        users[message.author] = standing
        return outputs
    }

    /// Where a moderated message goes: a public channel's to `chat_controlled`; a direct message
    /// to both participants' inboxes (the author's too: their other screens show it) and to
    /// `chat_private` for the store.
    static func deliveries(of message: ChatMessage) -> [ModerationOutput] {
        guard let (a, b) = ChannelName.participants(message.channel) else { return [.controlled(message)] }
        // `validate` guarantees two different names; a DM to oneself is refused before this.
        return [.inbox(message, user: a), .inbox(message, user: b), .privateCopy(message)]
    }

    /// Applies an event read back from `chat_control` (ours or another instance's, or an
    /// operator's unblock). Applying an event twice changes nothing.
    public mutating func apply(_ event: ControlEvent) {
        var standing = standing(of: event.user)
        switch event.type {
        case .warning:
            guard let id = event.messageId else { return }
            handled.insert(id)
            standing.warnedMessages.insert(id)
            if standing.warnings >= warningLimit { standing.blocked = true }
        case .blocked:
            standing.blocked = true
        case .unblocked:
            standing = Standing()
        case .rejected:
            if let id = event.messageId { handled.insert(id) }
            return
        case .join, .leave:
            return
        }
        users[event.user] = standing
    }
}
