/// Turns the text lines of a topic, node or message into blocks.
enum BodyParser {
    static func blocks(_ lines: [RawLine], file: String, diagnostics: inout [Diagnostic]) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [String] = []
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
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty {
                flushParagraph()
                flushBullets()
                continue
            }
            checkEmphasis(trimmed, line: line, file: file, diagnostics: &diagnostics)
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                flushParagraph()
                let item = String(trimmed.dropFirst(1)).trimmingWhitespace()
                if item.isEmpty {
                    diagnostics.append(
                        Diagnostic(.error, "K002", "a bullet needs text after '- '",
                                   at: SourceLocation(file: file, line: line.line, column: 1)))
                } else {
                    bullets.append(item)
                }
            } else if trimmed.hasPrefix("# ") {
                flushParagraph()
                flushBullets()
                blocks.append(.heading(String(trimmed.dropFirst(2)).trimmingWhitespace()))
            } else if !bullets.isEmpty && text.first == " " {
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

    private static func checkEmphasis(_ text: String, line: RawLine, file: String, diagnostics: inout [Diagnostic]) {
        var count = 0
        var lastColumn = 1
        var column = 1
        var previousWasStar = false
        for character in line.text {
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
        if count % 2 == 1 {
            diagnostics.append(
                Diagnostic(.warning, "K003", "'**' starts emphasis that is not closed on the same line",
                           at: SourceLocation(file: file, line: line.line, column: lastColumn)))
        }
    }
}
