import ChatAPIModels
import ChatModel
import Foundation

/// Persistence for kchat: messages, users, channels, moderation state and statistics.
///
/// `SQLChatStore` implements it on SQLite (GRDB; a file or in memory) and on PostgreSQL
/// (PostgresNIO) with one schema and one set of SQL statements. Every write is
/// idempotent so that the store writer can replay Kafka after a crash:
/// - `insert(messages:)` ignores message ids it already has;
/// - `apply(controlEvents:)` ignores events it has already applied (and warnings for a message
///   id it has already counted), so applying a batch twice changes nothing.
///
/// All methods may throw `ChatStoreError` or the backend's own error.
public protocol ChatStore: Sendable {
    /// Creates the tables and indexes when missing (idempotent, safe to call on every start).
    func migrate() async throws

    /// Cheap round trip to the database, for `/healthz`.
    func ping() async throws

    // MARK: Store writer (from Kafka)

    /// Inserts messages in the given order (Kafka order) in one transaction. Authors become
    /// known users and public channels are created on first use.
    /// - Returns: how many messages were new (duplicates by id are skipped).
    @discardableResult
    func insert(messages: [StoredMessage]) async throws -> Int

    /// Applies `chat_control` events in order in one transaction: warnings are counted once per
    /// message id, `blocked`/`unblocked` set the user's standing (unblock also resets the
    /// current warning count, as the moderator does), `join` creates a public channel, and
    /// every event is recorded for statistics.
    /// - Returns: how many events were new.
    @discardableResult
    func apply(controlEvents: [ControlEvent]) async throws -> Int

    // MARK: Reading history

    /// One page of `channel`, newest first, strictly older than the message `before` (or from
    /// the newest when nil). `limit` is clamped to `1...HistoryPage.maxLimit`.
    /// - Throws: `ChatStoreError.unknownCursor` when `before` is not a message of `channel`.
    func history(channel: String, before: String?, limit: Int) async throws -> HistoryPage

    // MARK: Channels

    func channels() async throws -> [ChannelRecord]
    func channel(named name: String) async throws -> ChannelRecord?
    /// - Returns: the new channel, or nil when a channel of that name exists.
    func createChannel(name: String, createdBy: String?, at date: Date) async throws -> ChannelRecord?
    /// Deletes the channel and its messages. - Returns: false when there was no such channel.
    @discardableResult
    func deleteChannel(name: String) async throws -> Bool

    // MARK: Users

    /// Registers `name` with a password hash. A name only seen in chat so far (no password)
    /// can be registered once. - Returns: false when the name is already registered.
    func createUser(name: String, passwordHash: String, at date: Date) async throws -> Bool
    func user(named name: String) async throws -> UserRecord?
    /// Every known user (registered or seen in chat), sorted by name.
    func users() async throws -> [UserRecord]

    // MARK: Statistics

    /// Aggregates over the whole store; lists are cut to `top` entries.
    func stats(top: Int) async throws -> ChatStats
}

extension ChatStore {
    public func history(channel: String, before: String? = nil) async throws -> HistoryPage {
        try await history(channel: channel, before: before, limit: HistoryPage.defaultLimit)
    }

    public func stats() async throws -> ChatStats {
        try await stats(top: ChatStats.defaultTop)
    }

    @discardableResult
    public func insert(messages: [ChatMessage]) async throws -> Int {
        try await insert(messages: messages.map { StoredMessage($0) })
    }
}
