import ChatModel
import Foundation

/// A bound parameter or a column value. The schema only uses text and 64-bit integers
/// (timestamps are Unix milliseconds, flags are 0/1), so both backends map them exactly.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
    init(_ value: Int32?) { self = value.map { .int(Int64($0)) } ?? .null }
    init(_ value: Date) { self = .int(Self.milliseconds(value)) }

    /// The text as both backends store it: PostgreSQL cannot hold U+0000 in TEXT, so NUL
    /// becomes U+2400 (the symbol the terminal shows for it) on SQLite too.
    var bound: SQLValue {
        guard case .text(let s) = self, s.utf8.contains(0) else { return self }
        return .text(s.replacingOccurrences(of: "\u{0}", with: "\u{2400}"))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Timestamp.milliseconds(date)
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

/// A statement with `?` placeholders (rewritten to `$n` for PostgreSQL).
struct SQLStatement: Sendable {
    var sql: String
    var binds: [SQLValue]

    init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// `(?, ?, ?), (?, ?, ?)` for `rows` rows of `columns` placeholders.
    static func valuesList(rows: Int, columns: Int) -> String {
        repeated("(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")", rows)
    }

    /// `row` repeated `count` times, comma separated.
    static func repeated(_ row: String, _ count: Int) -> String {
        Array(repeating: row, count: count).joined(separator: ", ")
    }
}

/// One result row, read by column index.
struct SQLRow: Sendable, Equatable {
    var values: [SQLValue]

    init(_ values: [SQLValue]) { self.values = values }

    func optionalString(_ index: Int) throws -> String? {
        switch try value(index) {
        case .null: return nil
        case .text(let s): return s
        case .int(let i): return String(i)
        }
    }

    func string(_ index: Int) throws -> String {
        guard let s = try optionalString(index) else { throw unexpected(index, "text") }
        return s
    }

    func optionalInt(_ index: Int) throws -> Int64? {
        switch try value(index) {
        case .null: return nil
        case .int(let i): return i
        case .text(let s):
            guard let i = Int64(s) else { throw unexpected(index, "an integer") }  // safe: failable parse of text; widening Int64 -> Int on 64-bit
            return i
        }
    }

    func int(_ index: Int) throws -> Int64 {
        guard let i = try optionalInt(index) else { throw unexpected(index, "an integer") }
        return i
    }

    func count(_ index: Int) throws -> Int { Int(try optionalInt(index) ?? 0) }  // safe: failable parse of text; widening Int64 -> Int on 64-bit

    func date(_ index: Int) throws -> Date { SQLValue.date(milliseconds: try int(index)) }

    private func value(_ index: Int) throws -> SQLValue {
        guard values.indices.contains(index) else { throw unexpected(index, "a column") }
        return values[index]
    }

    private func unexpected(_ index: Int, _ what: String) -> ChatStoreError {
        ChatStoreError(.unexpectedRow, "column \(index) of a result row is not \(what)")
    }
}
