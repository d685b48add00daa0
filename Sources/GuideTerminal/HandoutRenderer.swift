import GuideContent
import GuideCore

/// Writes a handout as Markdown, plain text or a self-contained printable HTML page. The guide's text keeps its
/// `**emphasis**`; the person's own words are escaped, so nothing they typed is read as markup.
public enum HandoutRenderer {
    public static func render(_ handout: Handout, as format: Handout.Format) -> String {
        switch format {
        case .html: return html(handout)
        case .markdown: return markdown(handout)
        case .plainText: return plainText(handout)
        }
    }

    // MARK: Plain text

    /// The width plain-text handouts wrap at.
    static let plainWidth = 72

    static func plainText(_ handout: Handout) -> String {
        let renderer = Renderer(width: plainWidth, color: false)
        var pieces = [handout.title + "\n" + String(repeating: "=", count: handout.title.count)]
        for part in handout.parts {
            switch part {
            case .content(let blocks):
                for block in blocks {
                    if case .heading(let heading) = block {
                        // Underlined, so it stands out on paper.
                        let plain = Markup.strip(heading)
                        pieces.append(plain + "\n" + String(repeating: "-", count: plain.count))
                    } else {
                        pieces.append(String(renderer.render([block]).dropLast()))
                    }
                }
            case .ownWords(let items):
                pieces.append(items.map { wrapPlain($0, indent: "  - ", hanging: "    ") }.joined(separator: "\n"))
            }
        }
        return pieces.joined(separator: "\n\n") + "\n"
    }

    /// Wraps text as it is, with no markup, at `plainWidth`.
    static func wrapPlain(_ text: String, indent: String, hanging: String) -> String {
        var lines: [String] = []
        var line = indent
        var hasWord = false
        for word in text.split(separator: " ") {
            if hasWord && line.count + 1 + word.count > plainWidth {
                lines.append(line)
                line = hanging
                hasWord = false
            }
            line += (hasWord ? " " : "") + word
            hasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    // MARK: Markdown

    static func markdown(_ handout: Handout) -> String {
        var pieces = ["# " + escapeMarkdown(handout.title)]
        for part in handout.parts {
            switch part {
            case .content(let blocks):
                for block in blocks {
                    switch block {
                    case .heading(let text): pieces.append("## " + text)
                    case .paragraph(let text): pieces.append(text)
                    case .bullets(let items): pieces.append(items.map { "- " + $0 }.joined(separator: "\n"))
                    case .choices(let items):
                        pieces.append(items.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
                    }
                }
            case .ownWords(let items):
                pieces.append(items.map { "- " + escapeMarkdown($0) }.joined(separator: "\n"))
            }
        }
        return pieces.joined(separator: "\n\n") + "\n"
    }

    /// Backslash before every character Markdown could read as markup (CommonMark escapes any ASCII punctuation).
    static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_{}[]()<>#+-.!|~&".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    // MARK: HTML

    /// The page's style: large type on screen, and a print stylesheet for paper. No fonts, images or scripts
    /// from anywhere: the page is one file.
    static let style = """
        body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 20px; line-height: 1.5;
          color: #000; background: #fff; max-width: 42em; margin: 1.5em auto; padding: 0 1em; }
        h1 { font-size: 1.8em; line-height: 1.2; margin: 0 0 0.5em; }
        h2 { font-size: 1.35em; margin: 1.4em 0 0.4em; padding-bottom: 0.15em; border-bottom: 2px solid #000; }
        p, li { margin: 0.35em 0; }
        ul { padding-left: 1.4em; }
        ul.own-words { list-style: square; }
        @media print {
          @page { margin: 18mm; }
          body { font-size: 15pt; max-width: none; margin: 0; padding: 0; }
          h2 { break-after: avoid; page-break-after: avoid; }
          p, li { break-inside: avoid; page-break-inside: avoid; }
        }
        """

    static func html(_ handout: Handout) -> String {
        var lines = [
            "<!DOCTYPE html>",
            "<html lang=\"\(escapeHTML(handout.language))\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(escapeHTML(handout.title))</title>",
            "<style>",
            style,
            "</style>",
            "</head>",
            "<body>",
            "<h1>\(escapeHTML(handout.title))</h1>",
        ]
        for part in handout.parts {
            switch part {
            case .content(let blocks):
                for block in blocks {
                    switch block {
                    case .heading(let text): lines.append("<h2>\(inlineHTML(text))</h2>")
                    case .paragraph(let text): lines.append("<p>\(inlineHTML(text))</p>")
                    case .bullets(let items):
                        lines.append("<ul>")
                        lines += items.map { "<li>\(inlineHTML($0))</li>" }
                        lines.append("</ul>")
                    case .choices(let items):
                        lines.append("<ol>")
                        lines += items.map { "<li>\(inlineHTML($0))</li>" }
                        lines.append("</ol>")
                    }
                }
            case .ownWords(let items):
                lines.append("<ul class=\"own-words\">")
                lines += items.map { "<li>\(escapeHTML($0))</li>" }
                lines.append("</ul>")
            }
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The guide's text with `**emphasis**` as `<strong>`, everything else escaped.
    static func inlineHTML(_ text: String) -> String {
        Markup.runs(text).map { $0.emphasised ? "<strong>\(escapeHTML($0.text))</strong>" : escapeHTML($0.text) }.joined()
    }

    static func escapeHTML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
