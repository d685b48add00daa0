#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads lines from a pipe or file, for when standard input or output is not a terminal.
///
/// Prints no prompt, keeps no history and completes nothing. Reads the file descriptor with `read(2)`
/// into its own buffer, so it must not be mixed with Swift's `readLine()` on the same input.
/// Lines end at `"\n"`; a `"\r"` before it is dropped; bytes that are not UTF-8 become U+FFFD.
public final class PlainLineReader: LineReader {
    private let fileDescriptor: Int32
    /// Bytes read and not yet returned start at `start`.
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes before `scanned` are known to hold no newline.
    private var scanned = 0
    private var reachedEnd = false

    /// A reader of `fileDescriptor`, standard input by default. The reader does not close it.
    public init(fileDescriptor: Int32 = STDIN_FILENO) {
        self.fileDescriptor = fileDescriptor
    }

    /// Returns the next line; `prompt` is ignored. Returns `.endOfInput` once the input is used up,
    /// after a last line that has no newline.
    public func readLine(prompt: String) -> LineInput {
        while true {
            if let newline = nextNewline() {
                let line = takeLine(upTo: newline)
                start = newline + 1
                scanned = start
                return .line(line)
            }
            if reachedEnd {
                guard start < buffer.count else { return .endOfInput }
                let line = takeLine(upTo: buffer.count)
                start = buffer.count
                scanned = start
                return .line(line)
            }
            fill()
        }
    }

    /// Does nothing: piped input has no completion.
    public func setCompletions(_ words: @escaping () -> [String]) {}

    /// Does nothing: piped input keeps no history.
    public func forgetHistory() throws {}
}

private extension PlainLineReader {
    static let chunkSize = 64 * 1024

    /// The index of the next newline at or after `start`, scanning each byte only once.
    func nextNewline() -> Int? {
        guard scanned < buffer.count else { return nil }
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            let from = base + scanned
            guard let hit = memchr(from, Int32(UInt8(ascii: "\n")), bytes.count - scanned) else { return nil }
            return from.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + scanned
        }
        scanned = found ?? buffer.count
        return found
    }

    /// The bytes from `start` to `end`, less one trailing `"\r"`, decoded as UTF-8 with repair.
    func takeLine(upTo end: Int) -> String {
        var last = end
        if last > start, buffer[last - 1] == UInt8(ascii: "\r") {
            last -= 1
        }
        return String(decoding: buffer[start..<last], as: UTF8.self)
    }

    /// Reads one more chunk into the buffer, or notes the end of input.
    ///
    /// Bytes already returned are dropped first, so the buffer holds at most the line being read
    /// plus one chunk, and each byte is moved at most once.
    func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBufferPointer { bytes in
                read(fileDescriptor, bytes.baseAddress! + oldCount, Self.chunkSize)
            }
            if got < 0, errno == EINTR { continue }
            break
        }
        buffer.removeSubrange((oldCount + max(got, 0))...)
        if got <= 0 {
            reachedEnd = true
        }
    }
}
