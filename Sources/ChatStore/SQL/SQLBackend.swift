/// The SQL differences between the backends, kept to the schema and placeholders.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// Name columns compare in byte order on both backends (stable sorting and `a < b` pairs).
    var nameType: String {
        switch self {
        case .sqlite: return "TEXT"
        case .postgres: return "TEXT COLLATE \"C\""
        }
    }

    /// Rewrites `?` placeholders (outside quoted text) to `$1, $2, ...` for PostgreSQL.
    func render(_ sql: String) -> String {
        guard self == .postgres else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var inSingle = false, inDouble = false
        for ch in sql {
            switch ch {
            case "'" where !inDouble: inSingle.toggle(); out.append(ch)
            case "\"" where !inSingle: inDouble.toggle(); out.append(ch)
            case "?" where !inSingle && !inDouble:
                n += 1
                out += "$\(n)"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// What a backend provides to the shared store logic.
protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement that only reads (SQLite: on a reader connection, concurrently with
    /// other reads) outside an explicit transaction and returns its rows.
    func read(_ statement: SQLStatement) async throws -> [SQLRow]
    /// Runs one statement that writes (or may: DDL, `INSERT ... RETURNING`) in its own
    /// transaction and returns its rows.
    func write(_ statement: SQLStatement) async throws -> [SQLRow]
    /// Runs the statements in order in one transaction; returns the rows of each.
    /// Rolls back and rethrows when one fails.
    @discardableResult
    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]]
}
