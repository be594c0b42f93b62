import Foundation

enum DataDirectory {
    /// `$KCHAT_DATA`, else `$XDG_STATE_HOME/kchat`, else `~/.local/state/kchat`.
    static var `default`: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["KCHAT_DATA"], !dir.isEmpty { return dir }
        if let state = env["XDG_STATE_HOME"], !state.isEmpty { return "\(state)/kchat" }
        return "\(NSHomeDirectory())/.local/state/kchat"
    }
}
