/// Turns the text lines of a topic, node or message into blocks.
enum BodyParser {
    static func blocks(_ lines: [RawLine], file: String, diagnostics: inout [Diagnostic]) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [Substring] = []
        var bullets: [String] = []

        func flushParagraph() {
            if let first = paragraph.first {
                // `joined(separator: " ")`, appending slices as they are.
                var text = String(first)
                for part in paragraph.dropFirst() {
                    text.append(" ")
                    text.append(contentsOf: part)
                }
                blocks.append(.paragraph(text))
            }
            paragraph = []
        }
        func flushBullets() {
            if !bullets.isEmpty { blocks.append(.bullets(bullets)) }
            bullets = []
        }

        for line in lines {
            let shape = LineShape(line.text)
            if case .blank = shape.kind {
                flushParagraph()
                flushBullets()
                continue
            }
            if shape.emphasisMarks % 2 == 1 {
                diagnostics.append(
                    Diagnostic(.warning, "K003", "'**' starts emphasis that is not closed on the same line",
                               at: SourceLocation(file: file, line: line.line, column: shape.lastEmphasisColumn)))
            }
            switch shape.kind {
            case .blank:
                break
            case .bullet(let text):
                flushParagraph()
                let item = String(text)
                if item.isEmpty {
                    diagnostics.append(
                        Diagnostic(.error, "K002", "a bullet needs text after '- '",
                                   at: SourceLocation(file: file, line: line.line, column: 1)))
                } else {
                    bullets.append(item)
                }
            case .heading(let text):
                flushParagraph()
                flushBullets()
                blocks.append(.heading(String(text)))
            case .text(let trimmed, let indented):
                if !bullets.isEmpty && indented {
                    bullets[bullets.count - 1].append(" ")
                    bullets[bullets.count - 1].append(contentsOf: trimmed)
                } else {
                    flushBullets()
                    paragraph.append(trimmed)
                }
            }
        }
        flushParagraph()
        flushBullets()
        return blocks
    }

    /// What one line of text is, and its `**` marks.
    struct LineShape {
        enum Kind {
            case blank
            /// `- item` or a lone `-`: the item, trimmed.
            case bullet(Substring)
            /// `# heading`: the heading, trimmed.
            case heading(Substring)
            /// Anything else, trimmed; `indented` when the line starts with a space.
            case text(Substring, indented: Bool)
        }

        var kind: Kind
        /// How many `**` marks the line holds, and the column (in characters) of the last one.
        var emphasisMarks = 0
        var lastEmphasisColumn = 1

        init(_ text: Substring) {
            // ASCII lines on bytes, each a character (a line holds no "\r\n"); nil at the first other byte.
            let shape: LineShape? = text.withBytes { bytes in
                var marks = 0
                var lastColumn = 1
                var previousWasStar = false
                for (index, byte) in bytes.enumerated() {
                    if byte >= 0x80 { return nil }
                    if byte == UInt8(ascii: "*") {
                        if previousWasStar {
                            marks += 1
                            lastColumn = index  // the column of the previous byte
                            previousWasStar = false
                        } else {
                            previousWasStar = true
                        }
                    } else {
                        previousWasStar = false
                    }
                }
                var start = 0
                var end = bytes.count
                while start < end && bytes[start].isASCIIWhitespace { start += 1 }
                while end > start && bytes[end - 1].isASCIIWhitespace { end -= 1 }
                func slice(_ from: Int, _ to: Int) -> Substring {
                    var from = from
                    var to = to
                    while from < to && bytes[from].isASCIIWhitespace { from += 1 }
                    while to > from && bytes[to - 1].isASCIIWhitespace { to -= 1 }
                    return text[text.byteIndex(from)..<text.byteIndex(to)]
                }
                let kind: Kind
                if start == end {
                    kind = .blank
                } else if bytes[start] == UInt8(ascii: "-") && (end - start == 1 || bytes[start + 1] == UInt8(ascii: " ")) {
                    kind = .bullet(slice(start + 1, end))
                } else if end - start >= 2 && bytes[start] == UInt8(ascii: "#") && bytes[start + 1] == UInt8(ascii: " ") {
                    kind = .heading(slice(start + 2, end))
                } else {
                    kind = .text(text[text.byteIndex(start)..<text.byteIndex(end)],
                                 indented: bytes[0] == UInt8(ascii: " "))
                }
                return LineShape(kind: kind, emphasisMarks: marks, lastEmphasisColumn: lastColumn)
            }
            self = shape ?? LineShape(characters: text)
        }

        init(kind: Kind, emphasisMarks: Int, lastEmphasisColumn: Int) {
            self.kind = kind
            self.emphasisMarks = emphasisMarks
            self.lastEmphasisColumn = lastEmphasisColumn
        }

        /// The same on characters, for a line with non-ASCII text.
        init(characters text: Substring) {
            let trimmed = text.trimmedWhitespace()
            // The marks are characters of their own (`startsWith`), so dropping their bytes drops them.
            if trimmed.isEmpty {
                kind = .blank
            } else if trimmed.startsWith("- ") || trimmed == "-" {
                kind = .bullet(Substring(trimmed.utf8.dropFirst(1)).trimmedWhitespace())
            } else if trimmed.startsWith("# ") {
                kind = .heading(Substring(trimmed.utf8.dropFirst(2)).trimmedWhitespace())
            } else {
                kind = .text(trimmed, indented: text.startsWith(" "))
            }
            var column = 1
            var previousWasStar = false
            for character in text {
                if character == "*" {
                    if previousWasStar {
                        emphasisMarks += 1
                        lastEmphasisColumn = column - 1
                        previousWasStar = false
                    } else {
                        previousWasStar = true
                    }
                } else {
                    previousWasStar = false
                }
                column += 1
            }
        }
    }
}
