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
/// published by ``BlockDecider``), reject messages of blocked users and messages whose author
/// token does not check out (``AuthorshipCheck``), pass clients' join/leave on when signed by their
/// user, and send bad input to the dead-letter topic. A direct message `@a+b` goes to the inboxes
/// of `a` and `b` and to `chat_private` (never to `chat_controlled`); one whose author is neither
/// is a dead letter. Idempotent by message id: feeding
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

    /// The outputs for one `chat` record. `authorship` is what the shell found out about its
    /// `kchat-token` header (nil: authorship is not required, nothing is checked); a message whose
    /// token is missing, invalid, expired at `now` or names someone else is not delivered: a
    /// `rejected` event (once per message id) and the record in the dead letters, every time.
    public mutating func moderate(_ input: ModerationInput, authorship: AuthorshipCheck? = nil,
                                  now: Date = Date()) -> [ModerationOutput] {
        let message: ChatMessage
        do {
            let channel = input.key.map { String(decoding: $0, as: UTF8.self) }
            message = try ChatMessage.decode(utf8: input.value, defaultChannel: channel)
            try message.validate()
            if ChannelName.isDirect(message.channel), ChannelName.peer(of: message.channel, me: message.author) == nil {
                throw ChatModelError(.invalidChannel, "\(message.author) is not a participant of \(message.channel)",
                                     field: "channel")
            }
        } catch {
            if let presence = Self.presence(input) {
                return moderate(presence, input: input, authorship: authorship, now: now)
            }
            return [.deadLetter(DeadLetter(reason: "\(error)", topic: input.topic, partition: input.partition,
                                           offset: input.offset, rawKey: input.key, rawValue: input.value, timestamp: now))]
        }
        if let reason = authorship?.rejection(author: message.author, now: now) {
            let letter = ModerationOutput.deadLetter(DeadLetter(
                reason: reason, topic: input.topic, partition: input.partition, offset: input.offset,
                rawKey: input.key, rawValue: input.value, timestamp: now))
            guard handled.insert(message.id).inserted else { return [letter] }
            return [.control(.rejected(user: message.author, channel: message.channel, messageId: message.id,
                                       reason: reason, timestamp: now)), letter]
        }
        if standing(of: message.author).blocked {
            guard handled.insert(message.id).inserted else { return [] }
            return [.control(.rejected(user: message.author, channel: message.channel, messageId: message.id,
                                       reason: ControlEvent.blockedReason(of: message.author), timestamp: now))]
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

    /// A client's join or leave (the TUI sends them to `chat`: users may not write
    /// `chat_control`): nil when the record is not a readable join/leave event.
    static func presence(_ input: ModerationInput) -> ControlEvent? {
        guard let event = try? ControlEvent.decode(from: Data(input.value)),
              event.type == .join || event.type == .leave, (try? UserName.validate(event.user)) != nil else { return nil }
        return event
    }

    /// A join/leave is published to `chat_control` when its token names its user (with authorship
    /// required); otherwise it is a dead letter. No warnings, no rejection events: presence of a
    /// blocked user is still shown (they may leave).
    private func moderate(_ presence: ControlEvent, input: ModerationInput, authorship: AuthorshipCheck?,
                          now: Date) -> [ModerationOutput] {
        if let reason = authorship?.rejection(author: presence.user, now: now) {
            return [.deadLetter(DeadLetter(reason: "\(presence.type.rawValue) of \(presence.user): \(reason)", topic: input.topic,
                                           partition: input.partition, offset: input.offset, rawKey: input.key,
                                           rawValue: input.value, timestamp: now))]
        }
        // Presence in a DM would tell every reader of chat_control who talks to whom.
        if let channel = presence.channel, ChannelName.isDirect(channel) { return [] }
        return [.control(presence)]
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
