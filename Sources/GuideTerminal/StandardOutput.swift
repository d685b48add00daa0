/// Writes to a file descriptor (1, standard output, unless told), whole strings at a time.
public final class StandardOutput: TextOutput {
    let descriptor: Int32

    public init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
    }

    /// Writes all of `text`; a failed write (a closed pipe) is dropped.
    public func write(_ text: String) {
        _ = PrivateFile.writeAll(descriptor, text)
    }
}

/// Collects everything written, for tests and for `ask`.
public final class CollectingOutput: TextOutput {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
}
