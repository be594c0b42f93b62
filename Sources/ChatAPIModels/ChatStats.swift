import ChatModel

/// Aggregates for `GET /v1/stats` and `kchat stats`. Every list is sorted by count, largest
/// first, then by name (byte order), and cut to the requested `top`.
public struct ChatStats: Sendable, Equatable, Codable {
    public static let defaultTop = 20

    public struct Totals: Sendable, Equatable, Codable {
        public var messages: Int
        public var users: Int
        public var channels: Int
        public var warnings: Int
        /// `blocked` events ever applied.
        public var blocks: Int
        /// Users blocked right now.
        public var blockedUsers: Int
        /// Messages of blocked users that were not delivered.
        public var rejected: Int

        public init(messages: Int, users: Int, channels: Int, warnings: Int, blocks: Int, blockedUsers: Int, rejected: Int) {
            self.messages = messages
            self.users = users
            self.channels = channels
            self.warnings = warnings
            self.blocks = blocks
            self.blockedUsers = blockedUsers
            self.rejected = rejected
        }
    }

    public struct NameCount: Sendable, Equatable, Codable {
        public var name: String
        public var count: Int
        public init(name: String, count: Int) { self.name = name; self.count = count }
    }

    public struct HourCount: Sendable, Equatable, Codable {
        /// Hour of the day, 0-23, UTC (from the message timestamps).
        public var hour: Int
        public var count: Int
        public init(hour: Int, count: Int) { self.hour = hour; self.count = count }
    }

    /// Two users (`a` < `b` in byte order) and how much they have in common.
    public struct PairCount: Sendable, Equatable, Codable {
        public var a: String
        public var b: String
        public var count: Int
        public init(a: String, b: String, count: Int) { self.a = a; self.b = b; self.count = count }
    }

    public var totals: Totals
    public var messagesPerUser: [NameCount]
    /// Public and direct channels alike.
    public var messagesPerChannel: [NameCount]
    public var warningsPerUser: [NameCount]
    /// Names of the users blocked now (sorted, not cut).
    public var blockedUsers: [String]
    /// Busiest hours first; hours without messages are left out.
    public var activeHours: [HourCount]
    /// Who talks to whom in private: messages per direct channel `@a+b`.
    public var directPairs: [PairCount]
    /// Who talks to whom in public: the number of public channels both users have posted in.
    public var sharedChannels: [PairCount]

    public init(totals: Totals, messagesPerUser: [NameCount], messagesPerChannel: [NameCount], warningsPerUser: [NameCount],
                blockedUsers: [String], activeHours: [HourCount], directPairs: [PairCount], sharedChannels: [PairCount]) {
        self.totals = totals
        self.messagesPerUser = messagesPerUser
        self.messagesPerChannel = messagesPerChannel
        self.warningsPerUser = warningsPerUser
        self.blockedUsers = blockedUsers
        self.activeHours = activeHours
        self.directPairs = directPairs
        self.sharedChannels = sharedChannels
    }
}

extension ChatStats {
    /// What anyone may see: no direct pairs and no direct channel (`@a+b`) in the per-channel
    /// counts, since both say who writes to whom in private. Totals are kept.
    public func withoutDirectChannels() -> ChatStats {
        var copy = self
        copy.directPairs = []
        copy.messagesPerChannel.removeAll { ChannelName.isDirect($0.name) }
        return copy
    }
}
