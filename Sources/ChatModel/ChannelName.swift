/// Channel naming rules.
///
/// - Public channel: 1-64 characters of `[a-z0-9._-]` (shown as `#name` in the UI, stored without `#`).
/// - Direct-message channel: `@a+b` where `a` and `b` are valid, distinct user names sorted
///   by byte order (`ChannelName.direct`).
public enum ChannelName {
    public static let maxLength = 64

    /// The DM channel between two users, names sorted: `direct("bob", "alice") == "@alice+bob"`.
    public static func direct(_ a: String, _ b: String) -> String {
        a.utf8.lexicographicallyPrecedes(b.utf8) ? "@\(a)+\(b)" : "@\(b)+\(a)"
    }

    public static func isDirect(_ name: String) -> Bool { name.hasPrefix("@") }

    /// The two participants of a DM channel name, or nil when `name` is not one.
    public static func participants(_ name: String) -> (String, String)? {
        guard name.hasPrefix("@") else { return nil }
        let parts = name.dropFirst().split(separator: "+", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// For a DM channel that includes `me`, the other participant.
    public static func peer(of name: String, me: String) -> String? {
        guard let (a, b) = participants(name) else { return nil }
        if a == me { return b }
        if b == me { return a }
        return nil
    }

    /// User input to channel name: trims, drops a leading `#`, lower-cases public names.
    public static func normalize(_ input: String) -> String {
        var s = Substring(input.trimmingWhitespace())
        if s.hasPrefix("#") { s = s.dropFirst() }
        return s.hasPrefix("@") ? String(s) : s.lowercased()
    }

    public static func isValid(_ name: String) -> Bool {
        (try? validate(name)) != nil
    }

    public static func validate(_ name: String) throws(ChatModelError) {
        if name.isEmpty { throw ChatModelError(.invalidChannel, "channel must not be empty", field: "channel") }
        if let (a, b) = participants(name) {
            guard UserName.isValid(a), UserName.isValid(b) else {
                throw ChatModelError(.invalidChannel,
                                     "direct channel '\(name)' must be @user1+user2 with valid user names",
                                     field: "channel")
            }
            guard a.utf8.lexicographicallyPrecedes(b.utf8) else {
                throw ChatModelError(.invalidChannel,
                                     "direct channel '\(name)' must list two different users in sorted order (\(direct(a, b)))",
                                     field: "channel")
            }
            return
        }
        if isDirect(name) {
            throw ChatModelError(.invalidChannel, "direct channel '\(name)' must be @user1+user2", field: "channel")
        }
        guard name.utf8.count <= maxLength else {
            throw ChatModelError(.invalidChannel, "channel name is longer than \(maxLength) characters", field: "channel")
        }
        guard name.utf8.allSatisfy(isChannelByte) else {
            throw ChatModelError(.invalidChannel,
                                 "channel '\(name)' may only contain a-z, 0-9, '.', '_' and '-'",
                                 field: "channel")
        }
    }

    static func isChannelByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 46 || b == 95 || b == 45
    }
}

/// User name rules: 1-32 characters of `[A-Za-z0-9._-]`.
public enum UserName {
    public static let maxLength = 32

    public static func isValid(_ name: String) -> Bool {
        (try? validate(name)) != nil
    }

    public static func validate(_ name: String, field: String = "author") throws(ChatModelError) {
        if name.isEmpty { throw ChatModelError(.invalidAuthor, "\(field) must not be empty", field: field) }
        guard name.utf8.count <= maxLength else {
            throw ChatModelError(.invalidAuthor, "\(field) is longer than \(maxLength) characters", field: field)
        }
        guard name.utf8.allSatisfy({ ChannelName.isChannelByte($0) || ($0 >= 65 && $0 <= 90) }) else {
            throw ChatModelError(.invalidAuthor,
                                 "\(field) '\(name)' may only contain A-Z, a-z, 0-9, '.', '_' and '-'",
                                 field: field)
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
