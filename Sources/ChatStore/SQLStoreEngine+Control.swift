import ChatModel
import Foundation

extension SQLStoreEngine {
    /// Namespace for control-event idempotency keys (fixed, owned by kchat's store).
    static let eventKeyNamespace = UUID(uuidString: "2C7B9F1E-5A43-4D7C-9E62-6B6368617453")!

    /// The idempotency key of an event: a UUIDv5 over its identifying fields, so replays of the
    /// same Kafka record map to the same key and the key length is bounded.
    static func eventKey(_ event: ControlEvent) -> String {
        let parts = [event.type.rawValue, event.user, event.messageId ?? "", event.channel ?? "",
                     String(SQLValue.milliseconds(event.timestamp))]
        return UUIDv5.make(namespace: eventKeyNamespace, name: parts.joined(separator: "\u{0}"))
            .uuidString.lowercased()
    }

    func apply(controlEvents events: [ControlEvent]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        // Grouped by user, each user's events in their order: every writer changes the same
        // users' rows in the same order, after the shared directory rows (see `ensureDirectory`).
        let ordered = events.stablySorted { $0.user }
        var users: [String: Date] = [:]
        var channels: [String: (at: Date, by: String?)] = [:]
        for event in ordered {
            if users[event.user] == nil { users[event.user] = event.timestamp }
            if event.type == .join, let channel = event.channel, channels[channel] == nil, Self.isListedChannel(channel) {
                channels[channel] = (event.timestamp, event.user)
            }
        }
        var statements = Self.ensureDirectory(users: users, channels: channels)
        var recordIndexes: [Int] = []
        for event in ordered {
            statements += Self.statements(for: event)
            recordIndexes.append(statements.count)
            statements.append(Self.record(event))
        }
        let results = try await backend.transaction(statements)
        return recordIndexes.reduce(0) { $0 + results[$1].count }
    }

    /// The state changes of one event, once its user (and a joined channel) exist. Each is
    /// guarded so that an event already applied (same key, or for warnings the same message id)
    /// changes nothing.
    static func statements(for event: ControlEvent) -> [SQLStatement] {
        let key = eventKey(event)
        let user = SQLValue.text(event.user), at = SQLValue(event.timestamp)
        let notApplied = "WHERE NOT EXISTS (SELECT 1 FROM control_events WHERE event_key = ?)"
        var out: [SQLStatement] = []
        switch event.type {
        case .warning:
            let messageID = event.messageId ?? "\(event.user)@\(SQLValue.milliseconds(event.timestamp))"
            let update = event.warnings == nil ? "blocks.warnings + 1" : "excluded.warnings"
            out.append(SQLStatement(
                """
                INSERT INTO blocks (user_name, blocked, warnings, updated_at)
                SELECT ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM warnings WHERE message_id = ?)
                ON CONFLICT (user_name) DO UPDATE SET warnings = \(update), updated_at = excluded.updated_at
                """,
                [user, SQLValue(event.warnings ?? 1), at, .text(messageID)]))
            out.append(SQLStatement(
                """
                INSERT INTO warnings (message_id, user_name, channel, warning_count, ts, reason)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING
                """,
                [.text(messageID), user, SQLValue(event.channel), SQLValue(event.warnings), at, SQLValue(event.reason)]))
        case .blocked:
            out.append(SQLStatement(
                """
                INSERT INTO blocks (user_name, blocked, warnings, updated_at)
                SELECT ?, 1, ?, ? \(notApplied)
                ON CONFLICT (user_name) DO UPDATE SET blocked = 1, updated_at = excluded.updated_at
                """,
                [user, SQLValue(event.warnings ?? 0), at, .text(key)]))
        case .unblocked:
            out.append(SQLStatement(
                """
                INSERT INTO blocks (user_name, blocked, warnings, updated_at)
                SELECT ?, 0, 0, ? \(notApplied)
                ON CONFLICT (user_name) DO UPDATE SET blocked = 0, warnings = 0, updated_at = excluded.updated_at
                """,
                [user, at, .text(key)]))
        case .join, .rejected, .leave:
            break
        }
        return out
    }

    /// Records the event; returns a row only when it was new.
    static func record(_ event: ControlEvent) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO control_events (event_key, type, user_name, channel, message_id, warnings, ts, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING RETURNING event_key
            """,
            [.text(eventKey(event)), .text(event.type.rawValue), .text(event.user), SQLValue(event.channel),
             SQLValue(event.messageId), SQLValue(event.warnings), SQLValue(event.timestamp), SQLValue(event.reason)])
    }
}
