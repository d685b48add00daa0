#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files the guide writes only when asked (a handout, a transcript): readable by their owner alone (mode 0600).
public enum PrivateFile {
    /// Why a file could not be written: the system's words for the error.
    public struct Failure: Error, Equatable {
        public var reason: String
    }

    /// `path` made absolute: `~/` is the home folder, a relative path starts in `directory` (the current
    /// folder when nil).
    public static func absolutePath(_ path: String, directory: String? = nil) -> String {
        if path == "~" || path.hasPrefix("~/"), let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty {
            return home + path.dropFirst()
        }
        if path.hasPrefix("/") { return path }
        let base = directory ?? currentDirectory() ?? "."
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `text` to `path` whole or not at all: into a new 0600 file beside it, then renamed over it. Returns
    /// the absolute path.
    public static func write(_ text: String, to path: String, directory: String? = nil) -> Result<String, Failure> {
        write(to: path, directory: directory) { writeAll($0, text) }
    }

    /// `write(_:to:directory:)` for what `fill` writes to the new file's descriptor (0, or the error number).
    static func write(to path: String, directory: String? = nil, fill: (Int32) -> Int32) -> Result<String, Failure> {
        let full = absolutePath(path, directory: directory)
        guard !full.hasSuffix("/") else { return .failure(Failure(reason: describe(EISDIR))) }
        let folder = full.lastIndex(of: "/").map { $0 == full.startIndex ? "/" : String(full[..<$0]) } ?? "."
        var template = Array((folder == "/" ? "/" : folder + "/").utf8CString.dropLast()) + Array(".klonopin-guide-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { return .failure(Failure(reason: describe(errno))) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        fchmod(descriptor, 0o600)
        let written = fill(descriptor)
        let closed = close(descriptor) == 0
        guard written == 0, closed else {
            let code = written != 0 ? written : errno
            unlink(temporary)
            return .failure(Failure(reason: describe(code)))
        }
        guard rename(temporary, full) == 0 else {
            let code = errno
            unlink(temporary)
            return .failure(Failure(reason: describe(code)))
        }
        return .success(full)
    }

    /// Writes all of `text`; 0, or the error number.
    static func writeAll(_ descriptor: Int32, _ text: String) -> Int32 { writeAll(descriptor, Array(text.utf8)) }

    /// Writes all of `bytes`; 0, or the error number.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Writes all of `buffer`; 0, or the error number.
    static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < buffer.count {
            let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += count
        }
        return 0
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Makes each missing folder above `path` with mode 0700.
    static func makeDirectories(for path: String) {
        var parents: [String] = []
        var directory = Substring(path)
        while let slash = directory.lastIndex(of: "/") {
            directory = directory[..<slash]
            guard !directory.isEmpty, access(String(directory), F_OK) != 0 else { break }
            parents.append(String(directory))
        }
        for parent in parents.reversed() where mkdir(parent, 0o700) == 0 {
            chmod(parent, 0o700)
        }
    }
}

/// A transcript of the conversation (`--transcript FILE`): everything shown, and each line typed as `> line`,
/// without colour. Mode 0600; `close()` ends it.
public final class TranscriptFile: TextOutput {
    /// The absolute path.
    public let path: String
    private var descriptor: Int32

    /// Opens (or empties) the file; fails with the system's reason.
    public init(path: String, directory: String? = nil) throws(PrivateFile.Failure) {
        let full = PrivateFile.absolutePath(path, directory: directory)
        let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFile.Failure(reason: PrivateFile.describe(errno)) }
        fchmod(descriptor, 0o600)
        self.path = full
        self.descriptor = descriptor
    }

    deinit { close() }

    public var isOpen: Bool { descriptor >= 0 }

    public func write(_ text: String) {
        guard descriptor >= 0 else { return }
        _ = PrivateFile.writeAll(descriptor, TranscriptFile.withoutEscapes(text))
    }

    /// Records a typed line, or Ctrl-C / Ctrl-D, as the transcript tests write them.
    func record(_ input: LineInput) {
        switch input {
        case .line(let text): write("> \(text)\n")
        case .interrupted: write("> ^C\n")
        case .endOfInput: write("> ^D\n")
        }
    }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    /// The text without terminal escape sequences (colour).
    static func withoutEscapes(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                result.append(scalar)
                continue
            }
            guard scalars.next() == "[" else { continue }
            while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
        }
        return String(result)
    }
}

/// Shows everything on the screen and writes it to the transcript as well.
final class TranscriptOutput: TextOutput {
    let screen: TextOutput
    let transcript: TranscriptFile

    init(_ screen: TextOutput, _ transcript: TranscriptFile) {
        self.screen = screen
        self.transcript = transcript
    }

    func write(_ text: String) {
        screen.write(text)
        transcript.write(text)
    }
}

/// Reads lines as its reader does, and writes each one to the transcript.
final class TranscriptLineReader: LineReader {
    let reader: LineReader
    let transcript: TranscriptFile

    init(_ reader: LineReader, _ transcript: TranscriptFile) {
        self.reader = reader
        self.transcript = transcript
    }

    func readLine(prompt: String) -> LineInput {
        let input = reader.readLine(prompt: prompt)
        transcript.record(input)
        return input
    }

    func setCompletions(_ words: @escaping () -> [String]) { reader.setCompletions(words) }
    func forgetHistory() throws { try reader.forgetHistory() }
}
