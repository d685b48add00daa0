import GuideContent

/// Turns blocks into terminal text: wrapped to a width, with colour only when asked for.
public struct Renderer: Sendable {
    /// The column to wrap at.
    public var width: Int
    /// Headings and emphasis in colour and bold (only on a terminal, never with NO_COLOR).
    public var color: Bool

    public init(width: Int = 80, color: Bool = false) {
        self.width = max(width, 20)
        self.color = color
    }

    static let headingStyle = "\u{1B}[1;36m"
    static let emphasisStyle = "\u{1B}[1m"
    static let reset = "\u{1B}[0m"

    /// The blocks as text, one blank line between blocks, ending with a newline.
    public func render(_ blocks: [Block]) -> String {
        var pieces: [String] = []
        for block in blocks {
            switch block {
            case .heading(let text):
                let plain = Markup.strip(text)
                pieces.append(wrap(plain, indent: "", hanging: "", style: color ? Renderer.headingStyle : nil))
            case .paragraph(let text):
                pieces.append(wrap(text, indent: "", hanging: ""))
            case .bullets(let items):
                pieces.append(items.map { wrap($0, indent: "  - ", hanging: "    ") }.joined(separator: "\n"))
            case .choices(let items):
                let digits = String(items.count).count
                pieces.append(
                    items.enumerated().map { index, item in
                        let number = String(index + 1)
                        let pad = String(repeating: " ", count: digits - number.count)
                        let indent = "  \(pad)\(number). "
                        return wrap(item, indent: indent, hanging: String(repeating: " ", count: indent.count))
                    }.joined(separator: "\n"))
            }
        }
        return pieces.joined(separator: "\n\n") + "\n"
    }

    /// Wraps text with `**emphasis**` at word boundaries; `indent` starts the first line, `hanging` the rest.
    func wrap(_ text: String, indent: String, hanging: String, style: String? = nil) -> String {
        // A word is a list of pieces, each emphasised or not ("**988**," is "988" emphasised + ",").
        var words: [[Markup.Run]] = [[]]
        for run in Markup.runs(text) {
            for (index, piece) in run.text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                if index > 0 { words.append([]) }
                if !piece.isEmpty { words[words.count - 1].append(Markup.Run(text: String(piece), emphasised: run.emphasised)) }
            }
        }
        var lines: [String] = []
        var line = indent
        var visible = indent.count
        var lineHasWord = false
        for word in words where !word.isEmpty {
            let length = word.reduce(0) { $0 + $1.text.count }
            if lineHasWord && visible + 1 + length > width {
                lines.append(line)
                line = hanging
                visible = hanging.count
                lineHasWord = false
            }
            if lineHasWord {
                line += " "
                visible += 1
            }
            for piece in word {
                if let style {
                    line += style + piece.text + Renderer.reset
                } else if color && piece.emphasised {
                    line += Renderer.emphasisStyle + piece.text + Renderer.reset
                } else {
                    line += piece.text
                }
            }
            visible += length
            lineHasWord = true
        }
        lines.append(line)
        return lines.map { $0.trailingSpacesTrimmed() }.joined(separator: "\n")
    }
}

extension String {
    func trailingSpacesTrimmed() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
