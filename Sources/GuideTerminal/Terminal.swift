#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the terminal the guide runs in, read fresh on every call.
public enum Terminal {
    /// Whether both standard input and standard output are terminals, so line editing can be used.
    public static var isInteractive: Bool {
        isTTY(STDIN_FILENO) && isTTY(STDOUT_FILENO)
    }

    /// Whether `fd` is open on a terminal.
    public static func isTTY(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// The width in columns of the terminal on `fd`, or nil when `fd` is not a terminal.
    ///
    /// Asks the terminal each time, so a window resize is seen on the next call.
    public static func width(_ fd: Int32 = STDOUT_FILENO) -> Int? {
        guard isTTY(fd) else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Where the history file lives: `$XDG_STATE_HOME/klonopin-guide/history`,
    /// else `$HOME/.local/state/klonopin-guide/history`.
    ///
    /// An `XDG_STATE_HOME` that is empty or relative is ignored, as the XDG specification asks.
    /// Without `HOME`, the home directory comes from the password database.
    public static func defaultHistoryPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return FileSystemPaths.joined(state, historyRelativePath)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? passwordHome() ?? "/"
        return FileSystemPaths.joined(home, ".local/state/" + historyRelativePath)
    }

    /// `defaultHistoryPath(environment:)` with the process's own environment.
    public static func defaultHistoryPath() -> String {
        var environment: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "HOME"] {
            if let value = getenv(name) {
                environment[name] = String(cString: value)
            }
        }
        return defaultHistoryPath(environment: environment)
    }
}

private extension Terminal {
    static let historyRelativePath = "klonopin-guide/history"

    /// The current user's home directory from the password database, if it has one.
    static func passwordHome() -> String? {
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        let home = String(cString: directory)
        return home.isEmpty ? nil : home
    }
}
