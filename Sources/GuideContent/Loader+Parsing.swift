/// One parse function per construct of the format.
extension Loader {
    /// Checks a section's fields: unknown keys, missing keys, repeated keys, empty values.
    mutating func checkFields(
        _ section: RawSection, in document: RawDocument, allowed: [String], required: [String],
        repeatable: [String]
    ) {
        var seen: [String] = []
        // Runs of one key (a hundred 'trigger:' lines) are looked up once: after the first, the key is seen.
        var last: (key: String, isAllowed: Bool, isRepeatable: Bool)?
        for field in section.fields {
            let isAllowed: Bool
            let isRepeated: Bool
            if let last, last.key == field.key {
                isAllowed = last.isAllowed
                isRepeated = !last.isRepeatable
            } else {
                isAllowed = allowed.contains(field.key)
                let isRepeatable = repeatable.contains(field.key)
                let isSeen = seen.contains(field.key)
                isRepeated = isSeen && !isRepeatable
                if !isSeen { seen.append(field.key) }
                last = (field.key, isAllowed, isRepeatable)
            }
            if !isAllowed {
                let known = allowed.sorted().joined(separator: ", ")
                warning("K012", "unknown field '\(field.key)' (known fields: \(known)); if this is text, put a blank line before it",
                        location(document, field.line))
            } else if isRepeated {
                error("K013", "the field '\(field.key)' is given twice", location(document, field.line))
            }
            if field.value.isEmpty {
                error("K014", "the field '\(field.key)' has no value", location(document, field.line, field.key.count + 2))
            }
        }
        for key in required where !seen.contains(key) {
            let what = section.name.map { "section '\($0)'" } ?? "this file"
            error("K010", "\(what) needs a '\(key):' field", location(document, section.line))
        }
    }

    /// A `YYYY-MM-DD` date field; reports a bad date.
    mutating func date(_ field: RawField?, in document: RawDocument) -> SimpleDate? {
        guard let field, !field.value.isEmpty else { return nil }
        guard let date = SimpleDate(field.value) else {
            error("K011", "'\(field.value)' is not a date: write it as YYYY-MM-DD, like 2026-11-27",
                  location(document, field.line, field.valueColumn))
            return nil
        }
        return date
    }

    /// The text of a section; text is not allowed in sections that only hold fields.
    mutating func body(_ section: RawSection, in document: RawDocument) -> [Block] {
        BodyParser.blocks(section.body, file: document.file, diagnostics: &diagnostics)
    }

    /// Lower-case ASCII letters, digits and dashes, starting with a letter or a digit. (Any non-ASCII byte makes
    /// a character that is not ASCII, and "\r\n" is neither a letter nor a digit.)
    static func isIdentifier(_ text: String) -> Bool {
        text.withBytes { bytes in
            guard let first = bytes.first, RawScanner.isLowercaseLetter(first) || RawScanner.isDigit(first) else {
                return false
            }
            return bytes.allSatisfy {
                RawScanner.isLowercaseLetter($0) || RawScanner.isDigit($0) || $0 == UInt8(ascii: "-")
            }
        }
    }

    // MARK: Topics

    mutating func parseTopic(_ document: RawDocument, stem: String) -> Topic? {
        let header = document.preamble
        checkFields(header, in: document, allowed: ["id", "title", "ask", "sources", "reviewed", "see", "resources"],
                    required: ["id", "title", "ask", "sources", "reviewed"], repeatable: ["ask"])
        for section in document.sections {
            error("K001", "a topic file has no sections: remove this '== \(section.name ?? "")' line",
                  location(document, section.line))
        }
        guard let idField = header.field("id"), !idField.value.isEmpty else { return nil }
        let id = idField.value
        if !Loader.isIdentifier(id) {
            error("K015", "the id '\(id)' must be lower-case letters, digits and dashes",
                  location(document, idField.line, idField.valueColumn))
        } else if id != stem {
            error("K015", "the id '\(id)' must match the file name '\(stem).txt'",
                  location(document, idField.line, idField.valueColumn))
        }
        let asks = header.fields("ask").map(\.value).filter { !$0.isEmpty }
        if !asks.isEmpty && asks.count < ContentRequirements.minimumAsks {
            warning("K046", "topic '\(id)' has \(asks.count) example questions; give at least \(ContentRequirements.minimumAsks)",
                    location(document, header.fields("ask").first!.line))
        }
        let reviewed = date(header.field("reviewed"), in: document)
        let blocks = body(header, in: document)
        if blocks.isEmpty {
            error("K016", "topic '\(id)' has no answer text: write it after the fields and one blank line",
                  location(document, header.fields.last?.line ?? 1))
        }
        // A topic with errors is still returned, so references to it do not add errors of their own;
        // the bundle will not run anyway.
        return Topic(
            id: id, title: header.field("title")?.value ?? id, asks: asks, sources: header.field("sources")?.value.commaList() ?? [],
            reviewed: reviewed ?? SimpleDate(year: 0, month: 1, day: 1), see: header.field("see")?.value.commaList() ?? [],
            resources: header.field("resources")?.value.commaList() ?? [], body: blocks, file: document.file)
    }

    /// Reports each item of a comma-separated reference field that is not among `known`.
    mutating func checkReferences(
        _ section: RawSection, _ key: String, in document: RawDocument, known: Set<String>, code: String,
        kind: String, fix: String
    ) {
        checkReferences(section.field(key), file: document.file, known: known, code: code, kind: kind, fix: fix)
    }

    /// `checkReferences` for one field (none: nothing to check) of the file `file`.
    mutating func checkReferences(_ field: RawField?, file: String, known: Set<String>, code: String, kind: String,
                                  fix: String) {
        guard let field else { return }
        var column = field.valueColumn
        for piece in Loader.commaPieces(field.value) {
            if !piece.item.isEmpty && !known.contains(piece.item) {
                error(code, "unknown \(kind) '\(piece.item)': \(fix)",
                      SourceLocation(file: file, line: field.line, column: column + piece.leading))
            }
            column += piece.length + 1
        }
    }

    /// Each comma-separated piece of a value, empty ones too: its item (trimmed), the spaces before it and
    /// its length, in characters.
    static func commaPieces(_ value: String) -> [(item: String, leading: Int, length: Int)] {
        guard value.isASCII else {
            return value.split(separator: ",", omittingEmptySubsequences: false).map { piece in
                (String(piece).trimmingWhitespace(), piece.prefix { $0 == " " }.count, piece.count)
            }
        }
        // ASCII: a byte is a character (a value holds no "\r\n").
        return value.withBytes { bytes in
            bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { piece in
                (RawScanner.string(RawScanner.trimmedASCII(piece)), piece.prefix { $0 == UInt8(ascii: " ") }.count,
                 piece.count)
            }
        }
    }

    // MARK: Flows

    mutating func parseFlow(_ document: RawDocument, stem: String) -> Flow? {
        let header = document.preamble
        checkFields(header, in: document, allowed: ["flow", "title", "words", "start"], required: ["flow", "title"],
                    repeatable: [])
        if let stray = header.body.first {
            error("K029", "text before the first node: start a node with a line like '== start'",
                  location(document, stray.line))
        }
        guard let idField = header.field("flow"), !idField.value.isEmpty else { return nil }
        let id = idField.value
        if id != stem {
            error("K015", "the flow id '\(id)' must match the file name '\(stem).txt'",
                  location(document, idField.line, idField.valueColumn))
        }
        var nodes: [String: FlowNode] = [:]
        var order: [String] = []
        for section in document.sections {
            guard let name = section.name, !name.isEmpty else { continue }
            if nodes[name] != nil {
                error("K020", "the node '\(name)' is already defined in this flow", location(document, section.line, 4))
                continue
            }
            checkFields(section, in: document, allowed: ["sources", "resources", "collect"], required: [], repeatable: [])
            nodes[name] = parseNode(section, in: document)
            order.append(name)
        }
        if order.isEmpty {
            error("K027", "flow '\(id)' has no nodes: add a section like '== start'", location(document, 1))
            return nil
        }
        let start = header.field("start")?.value ?? order[0]
        return Flow(id: id, title: header.field("title")?.value ?? id,
                    words: header.field("words")?.value.lowercasedCommaList() ?? [],
                    start: start, nodes: nodes, order: order, file: document.file)
    }

    mutating func parseNode(_ section: RawSection, in document: RawDocument) -> FlowNode {
        var textLines: [RawLine] = []
        var choices: [FlowChoice] = []
        var next: FlowTarget?
        var sawWayOut = false
        for line in section.body {
            let way = Loader.wayOut(line.text)
            if case .text(let isBlank) = way {
                if sawWayOut && !isBlank {
                    error("K029", "text after a node's choices: move it above them", location(document, line.line))
                } else {
                    textLines.append(line)
                }
                continue
            }
            if case .arrow(let before, let targetText, let targetColumn) = way {
                let target = parseTarget(targetText, at: SourceLocation(file: document.file, line: line.line, column: targetColumn))
                if before.isEmpty {
                    if next != nil || !choices.isEmpty {
                        error("K030", "a node has either numbered choices or one '-> target' line, not both",
                              location(document, line.line))
                    }
                    next = target
                } else if let dot = before.firstRangeOfASCII(".")?.lowerBound, let number = Int(before[..<dot]) {
                    let label = String(before[before.index(after: dot)...]).trimmingWhitespace()
                    if number != choices.count + 1 {
                        error("K028", "choice \(number) should be numbered \(choices.count + 1): number choices 1, 2, 3 in order",
                              location(document, line.line))
                    }
                    if label.isEmpty {
                        error("K030", "choice \(number) needs a label before '->'", location(document, line.line))
                    }
                    if next != nil {
                        error("K030", "a node has either numbered choices or one '-> target' line, not both",
                              location(document, line.line))
                    }
                    if let target { choices.append(FlowChoice(label: label, target: target)) }
                } else {
                    error("K030", "a choice is written 'N. label -> target', like '1. Go on -> step-2'",
                          location(document, line.line))
                }
                sawWayOut = true
            }
        }
        var node = FlowNode(
            name: section.name ?? "", body: body(RawSection(name: section.name, line: section.line, body: textLines), in: document),
            choices: choices, next: next, sources: section.field("sources")?.value.commaList() ?? [],
            resources: section.field("resources")?.value.commaList() ?? [])
        node.questions = collectedQuestions(section, node.body, in: document)
        return node
    }

    /// A line of a flow node: a way out (`N. label -> target` or `-> target`), or text.
    enum WayOut {
        /// The text before the arrow and the target after it, trimmed, and the target's column.
        case arrow(before: String, target: String, targetColumn: Int)
        case text(isBlank: Bool)
    }

    static func wayOut(_ line: Substring) -> WayOut {
        // ASCII lines on bytes, each a character (a line holds no "\r\n").
        let ascii: WayOut? = line.withBytes { bytes in
            guard RawScanner.isASCII(bytes) else { return nil }
            let trimmed = RawScanner.trimmedASCII(bytes[...])
            var arrow = trimmed.startIndex
            while arrow + 1 < trimmed.endIndex
                && !(bytes[arrow] == UInt8(ascii: "-") && bytes[arrow + 1] == UInt8(ascii: ">"))
            {
                arrow += 1
            }
            guard arrow + 1 < trimmed.endIndex else { return .text(isBlank: trimmed.isEmpty) }
            let target = RawScanner.trimmedASCII(bytes[(arrow + 2)..<trimmed.endIndex])
            return .arrow(before: RawScanner.string(RawScanner.trimmedASCII(bytes[trimmed.startIndex..<arrow])),
                          target: RawScanner.string(target), targetColumn: bytes.count - target.count + 1)
        }
        if let ascii { return ascii }
        let trimmed = line.trimmedWhitespace()
        guard let arrow = trimmed.firstRangeOfASCII("->") else { return .text(isBlank: trimmed.isEmpty) }
        let targetText = String(trimmed[arrow.upperBound...]).trimmingWhitespace()
        return .arrow(before: String(trimmed[..<arrow.lowerBound]).trimmingWhitespace(), target: targetText,
                      targetColumn: line.characterCount - targetText.characterCount + 1)
    }

    mutating func parseTarget(_ text: String, at location: SourceLocation) -> FlowTarget? {
        let words = text.spaceSeparatedWords()
        switch (words.first, words.count) {
        case ("end", 1): return .end
        case ("topic", 2): return .topic(words[1])
        case ("flow", 2): return .flow(words[1])
        case (let name?, 1) where Loader.isIdentifier(name): return .node(name)
        default:
            error("K030", "'\(text)' is not a target: write a node name, 'topic ID', 'flow ID' or 'end'", location)
            return nil
        }
    }

    /// Unknown targets, unreachable nodes, nodes with no way out.
    mutating func checkFlow(
        _ flow: Flow, document: RawDocument, topics: Set<String>, flows: Set<String>, sources: Set<String>,
        resources: Set<String>
    ) {
        var sectionIndex: [String: Int] = [:]  // the first section of each name
        for (index, section) in document.sections.enumerated() {
            if let name = section.name, sectionIndex[name] == nil { sectionIndex[name] = index }
        }
        if flow.nodes[flow.start] == nil, let start = document.preamble.field("start") {
            error("K024", "unknown node '\(flow.start)': the start must be one of this flow's '== name' sections",
                  location(document, start.line, start.valueColumn))
        }
        for name in flow.order {
            let node = flow.nodes[name]!
            let section = document.sections[sectionIndex[name]!]
            checkReferences(section, "sources", in: document, known: sources, code: "K021", kind: "source key",
                            fix: "add it to sources.txt")
            checkReferences(section, "resources", in: document, known: resources.union([ContentRequirements.localResources]),
                            code: "K023", kind: "resource", fix: "use an id from resources.txt, or 'local'")
            if node.choices.isEmpty && node.next == nil {
                error("K027", "node '\(name)' has no way out: end it with choices ('1. Go on -> next-node') or '-> end'",
                      location(document, section.line))
            }
            let targets = node.choices.map(\.target) + (node.next.map { [$0] } ?? [])
            // The lines with an arrow, and the column after it: needed only to place an error.
            var wayOutLines: [(line: Int, column: Int)]?
            for (index, target) in targets.enumerated() {
                let problem: (code: String, message: String)
                switch target {
                case .node(let other) where flow.nodes[other] == nil:
                    problem = ("K024", "unknown node '\(other)' in flow '\(flow.id)'")
                case .topic(let id) where !topics.contains(id):
                    problem = ("K022", "unknown topic '\(id)': use an id from topics/")
                case .flow(let id) where !flows.contains(id):
                    problem = ("K025", "unknown flow '\(id)': use an id from flows/")
                default:
                    continue
                }
                let lines = wayOutLines ?? section.body.compactMap { line in
                    line.text.firstRangeOfASCII("->").map {
                        (line: line.line, column: line.text.characterOffset(of: $0.upperBound) + 2)
                    }
                }
                wayOutLines = lines
                let line = index < lines.count ? lines[index].line : section.line
                let arrowColumn = index < lines.count ? lines[index].column : 1
                error(problem.code, problem.message, location(document, line, arrowColumn))
            }
        }
        // Reachability from the start.
        guard flow.nodes[flow.start] != nil else { return }
        var reached: Set<String> = [flow.start]
        var queue = [flow.start]
        while let name = queue.popLast() {
            let node = flow.nodes[name]!
            for target in node.choices.map(\.target) + (node.next.map { [$0] } ?? []) {
                if case .node(let other) = target, flow.nodes[other] != nil, !reached.contains(other) {
                    reached.insert(other)
                    queue.append(other)
                }
            }
        }
        for name in flow.order where !reached.contains(name) {
            error("K026", "node '\(name)' cannot be reached from '\(flow.start)': link to it or remove it",
                  location(document, document.sections[sectionIndex[name]!].line))
        }
    }

    mutating func checkFlowWords(_ flows: [String: Flow], documents: [String: RawDocument]) {
        var owner: [String: String] = [:]
        for id in flows.keys.sorted() {
            let document = documents[id]!
            let line = document.preamble.field("words")?.line ?? 1
            for word in flows[id]!.words {
                if ContentRequirements.reservedWords.contains(word) {
                    error("K031", "'\(word)' is a reserved word that works at every prompt; a flow cannot use it",
                          location(document, line))
                } else if let other = owner[word] {
                    error("K031", "the word '\(word)' already starts the flow '\(other)'", location(document, line))
                } else {
                    owner[word] = id
                }
            }
        }
    }
}
