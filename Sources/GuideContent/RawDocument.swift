#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `key: value` line as written in a file.
struct RawField: Hashable, Sendable {
    var key: String
    var value: String
    var line: Int
    /// The 1-based column where the value starts.
    var valueColumn: Int
}

/// A line of text after the fields, kept with its line number: a slice of the file's text.
struct RawLine: Hashable, Sendable {
    var text: Substring
    var line: Int
}

/// The part of a file before the first `== name` line, or one section.
struct RawSection: Hashable, Sendable {
    /// nil for the part before the first section.
    var name: String?
    /// The line of `== name` (1 for the part before the first section).
    var line: Int
    var fields: [RawField] = []
    var body: [RawLine] = []

    /// The first field with this key.
    func field(_ key: String) -> RawField? { fields.first { $0.key == key } }

    /// Every field with this key, in order.
    func fields(_ key: String) -> [RawField] { fields.filter { $0.key == key } }

    /// True when the section has neither fields nor text.
    var isEmpty: Bool { fields.isEmpty && body.allSatisfy { $0.text.isEmpty } }
}

/// A content file split into fields, text and sections; knows nothing of what the keys mean.
struct RawDocument: Hashable, Sendable {
    var file: String
    var preamble: RawSection
    var sections: [RawSection]
    var diagnostics: [Diagnostic]

    func location(line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

/// Splits a content file into lines, fields and sections.
///
/// It works on UTF-8 bytes and gives exactly the results of working on characters, which the columns of
/// diagnostics count: every rule is about ASCII bytes, and an ASCII byte is a character of its own unless it
/// is part of "\r\n" or next to a non-ASCII scalar that joins it (a combining mark after it, a prepended mark
/// before it). Where a rule meets such a neighbour it asks `String`'s characters instead.
enum RawScanner {
    static func scan(_ source: String, file: String) -> RawDocument {
        var source = source
        source.makeContiguousUTF8()
        var bytes = source
        return bytes.withUTF8 { scan(source, utf8: $0, file: file) }
    }

    /// `source` and its UTF-8 `text`, which lines are cut from by offset.
    static func scan(_ source: String, utf8 text: UnsafeBufferPointer<UInt8>, file: String) -> RawDocument {
        var state = ScanState(file: file)
        let allASCII = isASCII(text)
        var lines = LineCursor(text)
        while let (number, line) = lines.next() {
            if allASCII || isASCII(UnsafeBufferPointer(rebasing: line)) {
                state.scan(ascii: line, number, in: source)
            } else {
                state.scan(characters: String(decoding: line, as: UTF8.self), number)
            }
        }
        state.finish()
        return RawDocument(file: file, preamble: state.preamble, sections: state.sections, diagnostics: state.diagnostics)
    }

    /// One scan's progress: the section being read, and those done.
    struct ScanState {
        let file: String
        var diagnostics: [Diagnostic] = []
        var preamble = RawSection(name: nil, line: 1)
        var sections: [RawSection] = []
        var current = RawSection(name: nil, line: 1)
        var inSection = false
        var inHeader = true

        init(file: String) { self.file = file }

        mutating func finish() {
            trimTrailingBlankLines(&current.body)
            if inSection { sections.append(current) } else { preamble = current }
        }

        mutating func startSection(_ name: String, _ number: Int) {
            finish()
            if !isSectionName(name) {
                diagnostics.append(
                    Diagnostic(
                        .error, "K001", "a section line needs a name of letters, digits and dashes, like '== start'",
                        at: SourceLocation(file: file, line: number, column: 1)))
            }
            current = RawSection(name: name, line: number)
            inSection = true
            inHeader = true
        }

        /// An ASCII line: every byte is a character (a line holds no "\n", so no "\r\n").
        mutating func scan(ascii line: Bytes, _ number: Int, in source: String) {
            let content = trimmedASCII(line)
            let blank = content.isEmpty
            if content.starts(with: slashes) { return }
            if line.starts(with: equals) {
                startSection(string(trimmedASCII(line[(line.startIndex + 2)...])), number)
                return
            }
            if inHeader {
                if blank {
                    if !current.fields.isEmpty { inHeader = false }
                    return
                }
                if let field = parseField(ascii: line, number: number) {
                    current.fields.append(field)
                    return
                }
                inHeader = false
            }
            if blank && current.body.isEmpty { return }
            let start = source.byteIndex(line.startIndex)
            current.body.append(RawLine(text: source[start..<source.utf8.index(start, offsetBy: line.count)],
                                        line: number))
        }

        /// The same steps on characters, for a line with non-ASCII text.
        mutating func scan(characters line: String, _ number: Int) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.startsWith("//") { return }
            if line.startsWith("==") {
                // "==" is two characters of their own (`startsWith`), so dropping two bytes drops them.
                startSection(String(line.utf8.dropFirst(2))!.trimmingWhitespace(), number)
                return
            }
            if inHeader {
                if trimmed.isEmpty {
                    if !current.fields.isEmpty { inHeader = false }
                    return
                }
                if let field = parseField(line, number: number) {
                    current.fields.append(field)
                    return
                }
                inHeader = false
            }
            if trimmed.isEmpty && current.body.isEmpty { return }
            current.body.append(RawLine(text: Substring(line), line: number))
        }
    }

    static let slashes: [UInt8] = Array("//".utf8)
    static let equals: [UInt8] = Array("==".utf8)

    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    static func string(_ bytes: Bytes) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self) }

    /// ASCII bytes without leading and trailing whitespace.
    static func trimmedASCII(_ bytes: Bytes) -> Bytes {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end && bytes[start].isASCIIWhitespace { start += 1 }
        while end > start && bytes[end - 1].isASCIIWhitespace { end -= 1 }
        return bytes[start..<end]
    }

    /// `parseField` for an ASCII line, on bytes.
    static func parseField(ascii line: Bytes, number: Int) -> RawField? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let key = line[..<colon]
        guard let first = key.first, isLowercaseLetter(first),
            key.allSatisfy({ isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        let rest = line[(colon + 1)...]
        let leading = rest.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        if leading == 0, !rest.isEmpty { return nil }  // "key:value" is text, not a field
        return RawField(key: string(key), value: string(trimmedASCII(rest)), line: number,
                        valueColumn: key.count + 2 + leading)
    }

    /// A non-empty name of ASCII letters, digits and dashes. (A non-ASCII byte makes a non-ASCII character, and
    /// "\r\n", the only ASCII character of two bytes, is not a letter.)
    static func isSectionName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// `key: value` with a lower-case key starting at column 1.
    static func parseField(_ line: String, number: Int) -> RawField? {
        let bytes = line.utf8
        // The key: bytes before the first ':'. A key of a-z, 0-9 and '-' is ASCII characters of its own, and
        // any other key fails on characters too (a ':' that a combining mark joins fails below, as it does
        // when read as characters: the key would then run into it).
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let key = bytes[..<colon]
        guard let first = key.first, isLowercaseLetter(first),
            key.allSatisfy({ isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        let rest = bytes[bytes.index(after: colon)...]
        let leading = rest.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        if let next = rest.dropFirst(leading).first, next >= 0x80 {
            // Whatever follows the space or the colon may join it: read this one as characters.
            return parseFieldByCharacters(line, number: number)
        }
        if leading == 0, !rest.isEmpty { return nil }  // "key:value" is text, not a field
        let value = String(Substring(rest)).trimmingWhitespace()
        return RawField(key: String(Substring(key)), value: value, line: number, valueColumn: key.count + 2 + leading)
    }

    /// `parseField` on characters, for a line where bytes and characters may differ.
    static func parseFieldByCharacters(_ line: String, number: Int) -> RawField? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[line.startIndex..<colon]
        guard let first = key.first, first.isASCII, first.isLowercase,
            key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
        else { return nil }
        let afterColon = line.index(after: colon)
        if afterColon < line.endIndex && line[afterColon] != " " && line[afterColon] != "\t" { return nil }
        let rest = line[afterColon...]
        let leading = rest.prefix { $0 == " " || $0 == "\t" }.count
        let value = String(rest).trimmingWhitespace()
        return RawField(key: String(key), value: value, line: number, valueColumn: key.count + 2 + leading)
    }

    /// The file's lines without line endings ("\n" or "\r\n"), a byte-order mark or trailing spaces and tabs.
    static func lines(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var cursor = LineCursor(bytes)
            while let (_, line) = cursor.next() { lines.append(string(line)) }
            return lines
        }
    }

    /// Each line's number (from 1) and bytes, without its line ending ("\n" or "\r\n"), a byte-order mark or
    /// trailing spaces and tabs; a last line left empty is not a line.
    struct LineCursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var start: Int
        var number = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // U+FEFF, a character of its own
        }

        mutating func next() -> (Int, Bytes)? {
            guard start <= bytes.count, let base = bytes.baseAddress else { return nil }
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            let newline = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
            var end = newline ?? bytes.count
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let content = end
            while end > start && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")) {
                end -= 1
            }
            if end < content && end > start && bytes[end - 1] >= 0x80 {
                // A non-ASCII scalar before the spaces might join the first of them: trim characters.
                var line = Substring(string(bytes[start..<content]))
                while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
                end = start + line.utf8.count
            }
            guard newline != nil || end > start else { return nil }
            let lineStart = start
            start = (newline ?? bytes.count) + 1
            number += 1
            return (number, bytes[lineStart..<end])
        }
    }

    /// True when no byte is above 0x7F; eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    static func trimTrailingBlankLines(_ body: inout [RawLine]) {
        while let last = body.last, last.text.trimmedWhitespace().isEmpty { body.removeLast() }
    }

    static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// Text whose UTF-8 bytes can be read in place: `String`, and `Substring` (through its base string).
protocol ByteText: StringProtocol {
    /// Calls `body` with the UTF-8 bytes of the text.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result
}

extension String: ByteText {
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

extension Substring: ByteText {
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = base.utf8.distance(from: base.utf8.startIndex, to: startIndex)
        let count = utf8.count
        return base.withBytes { body(UnsafeBufferPointer(rebasing: $0[start..<start + count])) }
    }
}

extension ByteText {

    /// The index `offset` UTF-8 bytes from the start.
    func byteIndex(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }

    /// The byte offsets of the text between leading and trailing whitespace characters ((0, 0) when there is
    /// none), or nil when characters must decide: on bytes when the first and the last bytes that are not ASCII
    /// whitespace are ASCII, since the characters around them are then the bytes themselves ("\r\n" is
    /// whitespace too).
    private func trimmedByteBounds() -> (start: Int, end: Int)? {
        withBytes { bytes in
            guard let first = bytes.firstIndex(where: { !$0.isASCIIWhitespace }) else { return (0, 0) }
            let last = bytes.lastIndex(where: { !$0.isASCIIWhitespace })!
            return bytes[first] < 0x80 && bytes[last] < 0x80 ? (first, last + 1) : nil
        }
    }

    /// The text without leading and trailing whitespace characters, as a slice.
    func trimmedWhitespace() -> SubSequence {
        guard let (start, end) = trimmedByteBounds() else {
            guard let first = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
            let last = lastIndex(where: { !$0.isWhitespace })!
            return self[first...last]
        }
        return self[byteIndex(start)..<byteIndex(end)]
    }

    /// `hasPrefix` for an ASCII prefix, on bytes when the character after it is ASCII.
    func startsWith(_ prefix: String) -> Bool {
        let answer: Bool? = withBytes { bytes in
            prefix.withBytes { prefix in
                guard bytes.starts(with: prefix) else { return false }
                guard bytes.count > prefix.count, bytes[prefix.count] >= 0x80 else { return true }
                return nil  // a combining mark after the prefix may join its last character
            }
        }
        return answer ?? hasPrefix(prefix)
    }

    /// `firstRange(of:)` for an ASCII needle, on bytes when the bytes around the first match are ASCII.
    func firstRangeOfASCII(_ needle: String) -> Range<String.Index>? {
        let found: Int?? = withBytes { bytes in
            needle.withBytes { needle in
                guard let first = needle.first else { return .some(nil) }
                var start = 0
                while let found = bytes[start...].firstIndex(of: first) {
                    let end = found + needle.count
                    if end <= bytes.count && bytes[found..<end].elementsEqual(needle) {
                        // A non-ASCII neighbour may join the match into larger characters.
                        let before = found == 0 ? 0 : bytes[found - 1]
                        let after = end == bytes.count ? 0 : bytes[end]
                        return before < 0x80 && after < 0x80 ? found : .some(nil)
                    }
                    start = found + 1
                }
                // The characters of an ASCII needle are its bytes, so no match on bytes means none at all.
                return nil
            }
        }
        switch found {
        case .none: return nil
        case .some(.none): return firstRange(of: needle)
        case .some(.some(let offset)): return byteIndex(offset)..<byteIndex(offset + needle.utf8.count)
        }
    }

    /// The number of characters up to `index`: its UTF-8 offset when everything before it is ASCII other than
    /// a carriage return (which can join the line feed after it).
    func characterOffset(of index: String.Index) -> Int {
        let offset = utf8.distance(from: utf8.startIndex, to: index)
        let simple = withBytes { bytes in bytes[..<offset].allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") } }
        return simple ? offset : distance(from: startIndex, to: index)
    }

    /// `count`, on bytes when the text is ASCII without a carriage return.
    var characterCount: Int { characterOffset(of: endIndex) }

    /// True when every byte is ASCII.
    var isASCII: Bool { withBytes { RawScanner.isASCII($0) } }
}

extension String {
    /// The string without leading and trailing whitespace characters.
    func trimmingWhitespace() -> String {
        let trimmed = trimmedWhitespace()
        return trimmed.startIndex == startIndex && trimmed.endIndex == endIndex ? self : String(trimmed)
    }


    /// `lowercased()`, without making a new string when there is nothing to lower (only ASCII, no capitals).
    func lowercasedFast() -> String {
        withBytes { bytes in bytes.allSatisfy { $0 < 0x80 && !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) } }
            ? self : lowercased()
    }

    /// `commaList().map { $0.lowercased() }`, lowering ASCII letters as the items are made.
    func lowercasedCommaList() -> [String] {
        guard isASCII else { return commaList().map { $0.lowercased() } }
        // ASCII: lowering is A-Z to a-z, a byte at a time.
        return asciiCommaItems { item in
            String(unsafeUninitializedCapacity: item.count) { buffer in
                for (offset, byte) in item.enumerated() {
                    buffer[offset] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                }
                return item.count
            }
        }
    }

    /// Splits a comma-separated field value into trimmed, non-empty items.
    func commaList() -> [String] {
        guard isASCII else {
            return split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        return asciiCommaItems(RawScanner.string)
    }

    /// The trimmed, non-empty items between commas of ASCII text, each made into a string by `make`.
    private func asciiCommaItems(_ make: (RawScanner.Bytes) -> String) -> [String] {
        withBytes { bytes in
            var items: [String] = []
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
                let item = RawScanner.trimmedASCII(bytes[start..<end])
                if !item.isEmpty { items.append(make(item)) }
                start = end + 1
            }
            return items
        }
    }

    /// `split(separator: " ")` (empty pieces left out) as strings, on bytes for ASCII text.
    func spaceSeparatedWords() -> [String] {
        guard isASCII else { return split(separator: " ").map(String.init) }
        return withBytes { bytes in
            var words: [String] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: " ") { end += 1 }
                if end > start { words.append(RawScanner.string(bytes[start..<end])) }
                start = end + 1
            }
            return words
        }
    }
}

extension UInt8 {
    /// Tab, line feed, vertical tab, form feed, carriage return or space: the ASCII whitespace characters.
    var isASCIIWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
}
