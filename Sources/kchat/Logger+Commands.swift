import ArgumentParser
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Logger {
    /// Library logging for scriptable commands: only critical problems, so that a failure is the
    /// command's own one-line error.
    static var quiet: Logger {
        var logger = Logger(label: "kchat")
        logger.logLevel = .critical
        return logger
    }
}
