/// Turns the text lines of a topic, node or message into blocks.
enum BodyParser {
    static func blocks(_ lines: [RawLine], file: String, diagnostics: inout [Diagnostic]) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [Substring] = []
        var bullets: [String] = []

        func flushParagraph() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            paragraph = []
        }
        func flushBullets() {
            if !bullets.isEmpty { blocks.append(.bullets(bullets)) }
            bullets = []
        }

        for line in lines {
            let text = line.text
            let trimmed = text.trimmedWhitespace()
            if trimmed.isEmpty {
                flushParagraph()
                flushBullets()
                continue
            }
            checkEmphasis(line, file: file, diagnostics: &diagnostics)
            // The marks are characters of their own (`startsWith`), so dropping their bytes drops them.
            if trimmed.startsWith("- ") || trimmed == "-" {
                flushParagraph()
                let item = String(Substring(trimmed.utf8.dropFirst(1)).trimmedWhitespace())
                if item.isEmpty {
                    diagnostics.append(
                        Diagnostic(.error, "K002", "a bullet needs text after '- '",
                                   at: SourceLocation(file: file, line: line.line, column: 1)))
                } else {
                    bullets.append(item)
                }
            } else if trimmed.startsWith("# ") {
                flushParagraph()
                flushBullets()
                blocks.append(.heading(String(Substring(trimmed.utf8.dropFirst(2)).trimmedWhitespace())))
            } else if !bullets.isEmpty && text.startsWith(" ") {
                bullets[bullets.count - 1] += " " + trimmed
            } else {
                flushBullets()
                paragraph.append(trimmed)
            }
        }
        flushParagraph()
        flushBullets()
        return blocks
    }

    /// Warns about a line with an odd number of `**` marks, at the column (in characters) of the last one.
    private static func checkEmphasis(_ line: RawLine, file: String, diagnostics: inout [Diagnostic]) {
        // On bytes while they are ASCII (a line holds no "\r\n", so each is a character); nil at the first other.
        let counted: (count: Int, lastColumn: Int)? = line.text.withBytes { bytes in
            var count = 0
            var lastColumn = 1
            var previousWasStar = false
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "*") {
                    if previousWasStar {
                        count += 1
                        lastColumn = index  // the column of the previous byte
                        previousWasStar = false
                    } else {
                        previousWasStar = true
                    }
                } else {
                    previousWasStar = false
                }
            }
            return (count, lastColumn)
        }
        let (count, lastColumn) = counted ?? countByCharacters(line.text)
        if count % 2 == 1 {
            diagnostics.append(
                Diagnostic(.warning, "K003", "'**' starts emphasis that is not closed on the same line",
                           at: SourceLocation(file: file, line: line.line, column: lastColumn)))
        }
    }

    /// The `**` marks of a line and the column of the last one, on characters.
    private static func countByCharacters(_ text: Substring) -> (count: Int, lastColumn: Int) {
        var count = 0
        var lastColumn = 1
        var column = 1
        var previousWasStar = false
        for character in text {
            if character == "*" {
                if previousWasStar {
                    count += 1
                    lastColumn = column - 1
                    previousWasStar = false
                } else {
                    previousWasStar = true
                }
            } else {
                previousWasStar = false
            }
            column += 1
        }
        return (count, lastColumn)
    }
}
