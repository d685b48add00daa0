/// The files made of `== name` sections: resources, sources, safety, messages; and the lexicon.
extension Loader {
    /// Reports text before the first section and duplicate section names; returns the unique sections.
    mutating func uniqueSections(_ document: RawDocument, what: String) -> [RawSection] {
        if !document.preamble.isEmpty {
            error("K001", "\(what) are written in sections: start with a line like '== name'",
                  location(document, document.preamble.fields.first?.line ?? document.preamble.body.first?.line ?? 1))
        }
        var seen: Set<String> = []
        var result: [RawSection] = []
        for section in document.sections {
            guard let name = section.name, !name.isEmpty else { continue }
            if seen.contains(name) {
                error("K020", "'\(name)' is already defined in this file", location(document, section.line, 4))
                continue
            }
            seen.insert(name)
            result.append(section)
        }
        return result
    }

    mutating func parseResources(_ document: RawDocument) -> [Resource] {
        var resources: [Resource] = []
        for section in uniqueSections(document, what: "resources") {
            checkFields(section, in: document, allowed: ["name", "verified"] + Resource.detailKeys,
                        required: ["name", "verified"], repeatable: [])
            let verified = date(section.field("verified"), in: document)
            if let verified, let field = section.field("verified"), verified.oneYearLater < today {
                warning("K047", "resource '\(section.name!)' was last verified on \(verified), more than a year ago: check its details and update the date",
                        location(document, field.line, field.valueColumn))
            }
            guard let name = section.field("name")?.value, !name.isEmpty, let verified else { continue }
            let details = Resource.detailKeys.compactMap { key in
                section.field(key).map { Resource.Detail(key: key, value: $0.value) }
            }
            resources.append(Resource(id: section.name!, name: name, details: details, verified: verified,
                                      body: body(section, in: document)))
        }
        return resources
    }

    mutating func parseSources(_ document: RawDocument) -> [Source] {
        var sources: [Source] = []
        for section in uniqueSections(document, what: "sources") {
            checkFields(section, in: document, allowed: ["title", "publisher", "year", "url"],
                        required: ["title", "year"], repeatable: [])
            if let stray = section.body.first {
                error("K029", "a source has only fields (title, publisher, year, url), no text",
                      location(document, stray.line))
            }
            guard let title = section.field("title")?.value, let year = section.field("year")?.value else { continue }
            sources.append(Source(id: section.name!, title: title, publisher: section.field("publisher")?.value,
                                  year: year, url: section.field("url")?.value))
        }
        return sources
    }

    mutating func parseSafety(_ document: RawDocument) -> ([SafetyCategory], SafetyCategory?, [String: [String]])
    {
        var categories: [SafetyCategory] = []
        var sos: SafetyCategory?
        var groups: [String: [String]] = [:]
        let sections = uniqueSections(document, what: "safety categories")
        // Word groups first, so that triggers can be checked against them.
        for section in sections where section.name == ContentRequirements.safetyWordsSection {
            for field in section.fields {
                let words = field.value.lowercasedCommaList()
                if words.isEmpty {
                    error("K014", "the word group '\(field.key)' has no words", location(document, field.line))
                }
                if groups[field.key] != nil {
                    error("K013", "the word group '\(field.key)' is given twice", location(document, field.line))
                }
                groups[field.key] = words
            }
            if let stray = section.body.first {
                error("K029", "'== words' holds only word groups ('pills: pills, meds, klonopin'), no text",
                      location(document, stray.line))
            }
        }
        for section in sections where section.name != ContentRequirements.safetyWordsSection {
            let name = section.name!
            let isSOS = name == ContentRequirements.sosSection
            checkFields(section, in: document, allowed: isSOS ? ["title"] : ["title", "trigger", "not", "answer", "when", "topics", "past"],
                        required: ["title"], repeatable: ["trigger", "not", "past"])
            for field in section.fields where field.key == "trigger" || field.key == "not" {
                for group in Loader.groupNames(in: field.value) where group != "number" && groups[group] == nil {
                    error("K043", "unknown word group '{\(group)}': define it under '== words'",
                          location(document, field.line, field.valueColumn))
                }
            }
            // A `not:` phrase is taken out word for word: it has no gaps.
            for field in section.fields where field.key == "not" {
                if field.value.split(separator: " ").contains(where: { $0 == "*" || $0 == "..." }) {
                    error("K043", "a 'not:' phrase takes words and {groups}, not '*' or '...'",
                          location(document, field.line, field.valueColumn))
                }
            }
            let triggers = section.fields.compactMap { $0.key == "trigger" && !$0.value.isEmpty ? $0.value : nil }
            if !isSOS && triggers.isEmpty {
                error("K043", "the safety category '\(name)' has no 'trigger:' lines", location(document, section.line))
            }
            for key in ["trigger", "not"] {
                for field in section.fields where field.key == key && !field.value.isEmpty && Loader.isOnlyStars(field.value) {
                    error("K043", "a trigger needs at least one word besides '*' and '...'",
                          location(document, field.line, field.valueColumn))
                }
            }
            let response = body(section, in: document)
            if response.isEmpty {
                error("K016", "the safety category '\(name)' has no response text: write it after the fields and one blank line",
                      location(document, section.line))
            }
            if let when = section.field("when") {
                if when.value != "unmatched" {
                    error("K059", "'when:' takes one value, 'unmatched' (the answer is given only when no topic fits the line)",
                          location(document, when.line, when.valueColumn))
                } else if section.field("answer") == nil {
                    error("K059", "'when: unmatched' needs an 'answer:' topic to give when no other topic fits",
                          location(document, when.line))
                }
            }
            if let topics = section.field("topics"), section.field("answer") == nil {
                error("K059", "'topics:' needs an 'answer:' topic: it names topics given instead of that one, after this section's text",
                      location(document, topics.line))
            }
            let category = SafetyCategory(
                id: name, title: section.field("title")?.value ?? name, triggers: triggers,
                exclusions: section.fields("not").map(\.value).filter { !$0.isEmpty }, response: response,
                answer: section.field("answer")?.value, whenUnmatched: section.field("when")?.value == "unmatched",
                topics: section.field("topics").map { $0.value.lowercasedCommaList() } ?? [],
                past: section.fields("past").map(\.value).filter { !$0.isEmpty })
            if isSOS { sos = category } else { categories.append(category) }
        }
        return (categories, sos, groups)
    }

    /// The names of the word groups a trigger uses: its words (split at spaces) written `{name}`, in order.
    static func groupNames(in trigger: String) -> [String] {
        trigger.withBytes { bytes in
            guard bytes.contains(UInt8(ascii: "{")) else { return [] }  // a '{' character holds a '{' byte
            guard RawScanner.isASCII(bytes) else {
                return trigger.split(separator: " ").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
                    .map { String($0.dropFirst().dropLast()) }
            }
            // ASCII: a byte is a character (a value holds no "\r\n").
            var names: [String] = []
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: " ")) ?? bytes.count
                if end - start >= 2 && bytes[start] == UInt8(ascii: "{") && bytes[end - 1] == UInt8(ascii: "}") {
                    names.append(RawScanner.string(bytes[(start + 1)..<(end - 1)]))
                }
                start = end + 1
            }
            return names
        }
    }

    /// True when every word (split at spaces) is `*`.
    /// True when every word (split at spaces) is a gap: `*` or `...`.
    static func isOnlyStars(_ text: String) -> Bool {
        // Quick no: any byte but '*', '.' and ' ' makes a word.
        guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ") })
        else { return false }
        return text.split(separator: " ").allSatisfy { $0 == "*" || $0 == "..." }
    }

    mutating func parseMessages(_ document: RawDocument) -> Messages {
        var sections: [String: Messages.Message] = [:]
        for section in uniqueSections(document, what: "messages") {
            let fields = section.fields.map { Messages.Field(key: $0.key, value: $0.value) }
            sections[section.name!] = Messages.Message(body: body(section, in: document), fields: fields)
        }
        return Messages(sections: sections)
    }

    /// `canonical: variant, variant` a line; `ignore:` lists the words the matcher skips, `follow-up:` the words
    /// that point back, `everyday:` the words never mended, `not-covered:` and `coming-off:` the substances whose
    /// withdrawal the guide does not cover and the words of coming off one.
    mutating func parseLexicon(_ text: String, file: String) -> Lexicon {
        var lexicon = Lexicon()
        let lines = RawScanner.lines(of: text)
        var owner: [String: (String, Int)] = Dictionary(minimumCapacity: lines.count * 4)
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            guard let colon = trimmed.firstRangeOfASCII(":")?.lowerBound else {
                error("K048", "a lexicon line is 'word: other way, other way'; this line has no ':'",
                      SourceLocation(file: file, line: number, column: 1))
                continue
            }
            let canonical = String(trimmed[..<colon]).trimmingWhitespace().lowercasedFast()
            // The ':' is a character of its own (`firstRangeOfASCII`), so the rest starts one byte after it.
            let variants = String(trimmed[trimmed.utf8.index(after: colon)...]).lowercasedCommaList()
            if canonical.isEmpty || variants.isEmpty {
                error("K048", "a lexicon line needs a word before ':' and at least one variant after it",
                      SourceLocation(file: file, line: number, column: 1))
                continue
            }
            // The special words on the left: lists of their own, not synonyms.
            let special: WritableKeyPath<Lexicon, [String]>? = switch canonical {
            case "ignore": \.ignored
            case "follow-up": \.followUp
            case "follow-up-openers": \.followUpOpeners
            case "everyday": \.everyday
            case "not-covered": \.notCovered
            case "coming-off": \.comingOff
            case "coming-off-links": \.comingOffLinks
            case "age-from": \.ageFrom
            case "age-reads-as": \.ageReadsAs
            case "age-cues": \.ageCues
            case "age-units": \.ageUnits
            default: nil
            }
            if let special {
                if canonical == "age-from", variants.count != 1 || Int(variants[0]) == nil {
                    error("K048", "'age-from:' is one whole number, the first age read as 'age-reads-as:', like 'age-from: 65'",
                          SourceLocation(file: file, line: number, column: 1))
                    continue
                }
                lexicon[keyPath: special] += variants
                continue
            }
            for variant in variants {
                if let (other, otherLine) = owner[variant], other != canonical {
                    warning("K048", "'\(variant)' is already a variant of '\(other)' (line \(otherLine)); the first one wins",
                            SourceLocation(file: file, line: number, column: 1))
                } else {
                    owner[variant] = (canonical, number)
                }
            }
            lexicon.entries.append(Lexicon.Entry(canonical: canonical, variants: variants))
        }
        return lexicon
    }

    /// `choice-words` holds only `around:`, `same-as:` and `choice-N:` lines; each `reply-` section lists its
    /// phrases in `words:`, none of them a reserved word or a word that starts a flow, and has text.
    mutating func checkPhrases(_ document: RawDocument, flows: [String: Flow]) {
        let flowWords = Set(flows.values.flatMap(\.words))
        for section in document.sections {
            guard let name = section.name else { continue }
            if name == ContentRequirements.choiceWords {
                for field in section.fields {
                    if field.key == "same-as" {
                        let parts = field.value.split(separator: "=", omittingEmptySubsequences: false)
                        if parts.count != 2 || parts.contains(where: { $0.allSatisfy(\.isWhitespace) }) {
                            error("K058", "a 'same-as:' line is a label, '=', and other ways to say it, like 'same-as: go on = next, continue'",
                                  location(document, field.line, field.valueColumn))
                        }
                    } else if field.key != "around"
                        && !(field.key.hasPrefix("choice-") && Int(field.key.dropFirst(7)).map { $0 >= 1 } == true) {
                        error("K058", "unknown line '\(field.key):' in 'choice-words': use 'around:', 'same-as:' or 'choice-' and a number, like 'choice-2:'",
                              location(document, field.line))
                    }
                }
                if let text = section.body.first(where: { !$0.text.allSatisfy(\.isWhitespace) }) {
                    error("K058", "'choice-words' holds only 'around:', 'same-as:' and 'choice-N:' lines, with nothing after them",
                          location(document, text.line))
                }
            }
            guard name.hasPrefix(ContentRequirements.replyPrefix) else { continue }
            guard let words = section.field("words") else {
                error("K058", "the reply '\(name)' needs a 'words:' line listing what it answers, like 'words: thanks, thank you'",
                      location(document, section.line))
                continue
            }
            for phrase in words.value.lowercasedCommaList() {
                if ContentRequirements.reservedWords.contains(phrase) {
                    error("K058", "'\(phrase)' is a reserved word that works at every prompt; a reply cannot use it",
                          location(document, words.line, words.valueColumn))
                } else if flowWords.contains(phrase) {
                    error("K058", "'\(phrase)' starts a flow; a reply cannot use it", location(document, words.line, words.valueColumn))
                }
            }
            if section.body.allSatisfy({ $0.text.allSatisfy(\.isWhitespace) }) {
                error("K058", "the reply '\(name)' has no text to show", location(document, section.line))
            }
            if let afterCrisis = section.field("after-crisis"), afterCrisis.value != "choices" {
                error("K058", "'after-crisis:' in a reply can only be 'choices' (right after crisis help, its phrases show the choices again)",
                      location(document, afterCrisis.line, afterCrisis.valueColumn))
            }
            if let calm = section.field("calm"), calm.value != "yes" {
                error("K058", "'calm:' in a reply can only be 'yes' (the second look never reads a line made only of its phrases)",
                      location(document, calm.line, calm.valueColumn))
            }
            if let then = section.field("then") {
                if then.value != ContentRequirements.replyThenRelated {
                    error("K058", "'then:' in a reply can only be '\(ContentRequirements.replyThenRelated)' (list the related topics of the topic just shown)",
                          location(document, then.line, then.valueColumn))
                } else if section.field("first") == nil {
                    error("K058", "the reply '\(name)' lists related topics, so it needs a 'first:' line for when no topic has been shown yet",
                          location(document, then.line))
                }
            }
        }
    }

    /// The numbered lists of `ui.txt` (`menu`, `after-crisis`): each field is a flow id or a built-in choice.
    mutating func checkMenus(_ document: RawDocument, flows: Set<String>) {
        for section in document.sections where ContentRequirements.menus.contains(section.name ?? "") {
            if section.fields.isEmpty {
                error("K044", "the list '\(section.name!)' needs at least one choice, like 'topics: See all topics'",
                      location(document, section.line))
            }
            for field in section.fields
            where !flows.contains(field.key) && !ContentRequirements.menuChoices.contains(field.key) {
                let builtIn = ContentRequirements.menuChoices.joined(separator: ", ")
                error("K025", "unknown choice '\(field.key)' in '\(section.name!)': use a flow id or one of \(builtIn)",
                      location(document, field.line))
            }
        }
    }
}

extension Loader {
    /// words.txt: one word a line, lower-case letters a to z, in alphabetical order without repeats; `//` lines
    /// and blank lines are skipped (line endings and a byte-order mark as in every file). A line that breaks a
    /// rule is reported and left out [K061].
    mutating func parseWordList(_ text: String, file: String) -> WordList {
        var joined: [UInt8] = [10]
        var count = 0
        var problems: [(String, Int, Int)] = []
        var text = text
        text.withUTF8 { bytes in
            joined.reserveCapacity(bytes.count + 1)
            var cursor = RawScanner.LineCursor(bytes)
            var previous: RawScanner.Bytes?
            while let (number, line) = cursor.next() {
                if line.isEmpty || line.starts(with: [47, 47]) { continue }
                if let bad = line.firstIndex(where: { !(97...122).contains($0) }) {
                    let character = RawScanner.string(line[bad...]).first.map(String.init) ?? ""
                    problems.append(("a line of words.txt is one word of lower-case letters a to z; this one has '\(character)'",
                                     number, line.distance(from: line.startIndex, to: bad) + 1))
                    continue
                }
                if let previous, !previous.lexicographicallyPrecedes(line) {
                    problems.append(("words.txt is in alphabetical order without repeats: '\(RawScanner.string(line))' comes after '\(RawScanner.string(previous))'",
                                     number, 1))
                    continue
                }
                previous = line
                joined += line
                joined.append(10)
                count += 1
            }
        }
        for (message, line, column) in problems {
            error("K061", message, SourceLocation(file: file, line: line, column: column))
        }
        return WordList(joined: joined, count: count)
    }
}
