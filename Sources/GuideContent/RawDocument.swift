/// A `key: value` line as written in a file.
struct RawField: Hashable, Sendable {
    var key: String
    var value: String
    var line: Int
    /// The 1-based column where the value starts.
    var valueColumn: Int
}

/// A line of text after the fields, kept with its line number.
struct RawLine: Hashable, Sendable {
    var text: String
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
enum RawScanner {
    static func scan(_ text: String, file: String) -> RawDocument {
        var diagnostics: [Diagnostic] = []
        var preamble = RawSection(name: nil, line: 1)
        var sections: [RawSection] = []
        var current = preamble
        var inSection = false
        var inHeader = true

        func finish() {
            trimTrailingBlankLines(&current.body)
            if inSection { sections.append(current) } else { preamble = current }
        }

        for (offset, rawLine) in lines(of: text).enumerated() {
            let number = offset + 1
            let line = rawLine
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("//") { continue }
            if line.hasPrefix("==") {
                finish()
                let name = String(line.dropFirst(2)).trimmingWhitespace()
                if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                    diagnostics.append(
                        Diagnostic(
                            .error, "K001",
                            "a section line needs a name of letters, digits and dashes, like '== start'",
                            at: SourceLocation(file: file, line: number, column: 1)))
                }
                current = RawSection(name: name, line: number)
                inSection = true
                inHeader = true
                continue
            }
            if inHeader {
                if trimmed.isEmpty {
                    if !current.fields.isEmpty { inHeader = false }
                    continue
                }
                if let field = parseField(line, number: number) {
                    current.fields.append(field)
                    continue
                }
                inHeader = false
            }
            if trimmed.isEmpty && current.body.isEmpty { continue }
            current.body.append(RawLine(text: line, line: number))
        }
        finish()
        return RawDocument(file: file, preamble: preamble, sections: sections, diagnostics: diagnostics)
    }

    /// `key: value` with a lower-case key starting at column 1.
    static func parseField(_ line: String, number: Int) -> RawField? {
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

    /// The file's lines without line endings, a byte-order mark or trailing spaces.
    static func lines(of text: String) -> [String] {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var result = body.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = line
            if line.hasSuffix("\r") { line = line.dropLast() }
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            return String(line)
        }
        if result.last == "" { result.removeLast() }
        return result
    }

    static func trimTrailingBlankLines(_ body: inout [RawLine]) {
        while let last = body.last, last.text.trimmingWhitespace().isEmpty { body.removeLast() }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }

    /// Splits a comma-separated field value into trimmed, non-empty items.
    func commaList() -> [String] {
        split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
