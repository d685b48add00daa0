#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One piece of text to show a person: content is made of these, and so is everything the guide says.
public enum Block: Hashable, Sendable {
    /// A short heading line.
    case heading(String)
    /// A paragraph; `**words**` inside it are emphasised.
    case paragraph(String)
    /// A bulleted list.
    case bullets([String])
    /// A numbered list of choices; the person types a number to pick one.
    case choices([String])
}

extension Block {
    /// The text without markup, as `ask --json` and plain output show it.
    public var plainText: String {
        switch self {
        case .heading(let text): return Markup.strip(text)
        case .paragraph(let text): return Markup.strip(text)
        case .bullets(let items): return items.map { "- " + Markup.strip($0) }.joined(separator: "\n")
        case .choices(let items):
            return items.enumerated().map { "\($0.offset + 1). " + Markup.strip($0.element) }.joined(separator: "\n")
        }
    }
}

extension Array where Element == Block {
    /// All blocks as plain text, one blank line between blocks.
    public var plainText: String { map(\.plainText).joined(separator: "\n\n") }
}

/// The small inline markup of the content format: `**emphasis**`.
public enum Markup {
    /// A run of text, emphasised or not.
    public struct Run: Hashable, Sendable {
        public var text: String
        public var emphasised: Bool

        public init(text: String, emphasised: Bool) {
            self.text = text
            self.emphasised = emphasised
        }
    }

    /// Splits text at `**` marks. An unmatched final mark is kept as text.
    public static func runs(_ text: String) -> [Run] {
        guard hasMarks(text) else { return [Run(text: text, emphasised: false)] }
        let parts = text.split(separator: "**", omittingEmptySubsequences: false).map(String.init)
        var result: [Run] = []
        for (index, part) in parts.enumerated() where !part.isEmpty {
            let unmatchedTail = parts.count % 2 == 0 && index == parts.count - 1
            if unmatchedTail {
                result.append(Run(text: "**" + part, emphasised: false))
            } else {
                result.append(Run(text: part, emphasised: index % 2 == 1))
            }
        }
        return result
    }

    /// The text with emphasis marks removed.
    public static func strip(_ text: String) -> String {
        guard hasMarks(text) else { return text }
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return runs(text).map(\.text).joined() }
        // ASCII, where a byte is a character: what `runs` keeps, in one pass over the bytes. Every mark goes but
        // an unmatched last one, which stays when text follows it.
        let bytes = Array(text.utf8)
        var marks: [Int] = []
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "*") {
                marks.append(index)
                index += 2
            } else {
                index += 1
            }
        }
        if marks.count % 2 == 1 && marks[marks.count - 1] + 2 < bytes.count { marks.removeLast() }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var start = 0
        for mark in marks {
            result += bytes[start..<mark]
            start = mark + 2
        }
        result += bytes[start...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether the text holds `**`: a byte scan, since this runs for every line of every answer shown.
    static func hasMarks(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // Each "*" found by memchr, which reads many bytes at a time: most texts have none.
            guard let base = bytes.baseAddress else { return false }
            var start = 0
            while start + 1 < bytes.count {
                guard let found = memchr(base + start, Int32(UInt8(ascii: "*")), bytes.count - start - 1) else {
                    return false
                }
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if bytes[index + 1] == UInt8(ascii: "*") { return true }
                start = index + 1
            }
            return false
        }
    }
}
