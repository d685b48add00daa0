/// A 1-based position in a content file.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// How serious a finding is: errors stop the bundle from running, warnings do not.
public enum Severity: String, Hashable, Sendable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One problem found in a content bundle, printed as `file:line:column: severity: message [code]`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var severity: Severity
    /// A stable code, so that authors and tests can refer to a kind of problem.
    public var code: String
    public var message: String

    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        self.location = location
        self.severity = severity
        self.code = code
        self.message = message
    }

    public var description: String {
        "\(location.file):\(location.line):\(location.column): \(severity.rawValue): \(message) [\(code)]"
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line and column, errors before warnings at the same place.
    public func sortedForDisplay() -> [Diagnostic] {
        sorted {
            ($0.location.file, $0.location.line, $0.location.column, $0.severity == .error ? 0 : 1, $0.code)
                < ($1.location.file, $1.location.line, $1.location.column, $1.severity == .error ? 0 : 1, $1.code)
        }
    }
}
