import GuideContent

/// The crisis screen: finds the trigger phrases of `safety.txt` in a line, after taking out figures of speech and
/// mending misspelled words. It runs on every line, in every state, before anything else.
public struct SafetyScreen: Sendable {
    /// What the screen found, and why (for `why`).
    public struct Finding: Hashable, Sendable {
        /// The section of `safety.txt` that fired.
        public var category: String
        /// The trigger, as written in `safety.txt`.
        public var trigger: String
        /// Misspelled words read as trigger words.
        public var corrections: [Analyzer.Replacement]
        /// Whether the second look found it (no trigger did).
        public var bySecondLook = false
    }

    /// One element of a compiled trigger.
    enum Element: Hashable, Sendable {
        case word(String)
        /// Any phrase of a word group, `{pills}`.
        case group(Int)
        /// Any number, `{number}`.
        case number
        /// `*`: up to three words.
        case gap
        /// `...`: up to twelve words, for two parts of one thought ("i {wont} ... {around}").
        case longGap
    }

    /// An element of a compiled trigger as a line is matched: a word by its number (`wordNumbers`), no string.
    enum Code: Equatable, Sendable {
        case word(Int32)
        case group(Int)
        case number
        case gap
        case longGap
    }

    struct Pattern: Sendable {
        var codes: [Code]
        var category: Int
        var text: String
        /// The pattern's own words (not its groups), by number: a line without all of them cannot match, so the
        /// pattern is not tried.
        var required: [Int32] = []
    }

    /// A line's words as the triggers read them: each word's number (`wordNumbers`; -1 for a word no trigger,
    /// group or `not:` phrase holds, -2 where a `not:` phrase was taken out) and whether it is a number.
    struct Line {
        var numbers: [Int32] = []
        var isNumber: [Bool] = []

        var count: Int { numbers.count }

        mutating func append(_ number: Int32, isNumber: Bool) {
            numbers.append(number)
            self.isNumber.append(isNumber)
        }

        /// Whether `phrase` is at `start`, word for word (the caller checks that it fits).
        @inline(__always)
        func holds(_ phrase: [Int32], at start: Int) -> Bool {
            for offset in phrase.indices where numbers[start + offset] != phrase[offset] { return false }
            return true
        }
    }

    private let categories: [SafetyCategory]
    /// Every word of the triggers, the groups and the `not:` phrases, by number: a line's words are looked up once,
    /// and matched as numbers (matching strings counted and compared them at each step, most of a line's time).
    private let wordNumbers: [String: Int32]
    /// Each group's phrases by their first word's number, as word numbers, longest first.
    private let groupPhrases: [[Int32: [[Int32]]]]
    /// Patterns by the number of a word they can start with, and those that start with `{number}`.
    private let patterns: [Int32: [Pattern]]
    private let numberPatterns: [Pattern]
    /// Figures of speech (`not:` phrases: words, `{group}`s and `{number}`) by the number of a word they can start
    /// with, and those that start with `{number}`.
    private let exclusions: [Int32: [[Code]]]
    private let numberExclusions: [[Code]]
    /// Each section's `past:` phrases (by section index).
    private let past: [PhraseSet]
    /// The phrases of the word group `now`: a line that holds one is about now, whatever else it says.
    private let now: PhraseSet
    /// The phrases of the word group `intent` ("i want to do it", "asking for myself"): a line that holds one says
    /// the person means it, so its `not:` phrases ("can you overdose on") are not taken out of it.
    private let intent: PhraseSet
    /// Every word a trigger can match, for spelling repair.
    private let vocabulary: Set<String>
    /// The vocabulary of four letters or more, sorted, as UTF-8, and which of it a misspelled word is compared with.
    private let spellings: [[UInt8]]
    private let spellingIndex: SpellingIndex
    /// Words that are right as they are (the bundle's own words), never "repaired".
    private let known: StringTable
    /// The second look's threshold, bias, sections and priors (its terms are the tables below), and the index in
    /// `categories` of each of its sections.
    private let model: SafetyModel?
    private let modelCategories: [Int?]
    /// The model's terms by number, for a look-up per word without making strings of word pairs: each word of any
    /// term has a number (`modelVocabulary`); a word's own term and a pair's term are found by those numbers.
    private let modelVocabulary: [String: Int32]
    private let modelWordTerms: [Int32: Int32]
    private let modelPairTerms: [UInt64: Int32]
    /// Each term's weight, and its likelihoods (`categories.count` a term, in one array).
    private let modelWeights: [Double]
    private let modelLikelihoods: [Double]
    private let modelTermNames: [String]
    /// The most words a `*` stands for.
    static let maxGap = 3
    /// The most words a `...` stands for: about one sentence, so far-apart words of a long story do not join.
    static let maxLongGap = 12
    /// Misspellings are repaired for at most this many distinct words a line.
    static let repairLimit = 400

    /// - Parameters:
    ///   - categories: the sections of `safety.txt` in file order (earlier sections win when several fire).
    ///   - groups: the word groups that triggers name in braces.
    ///   - knownWords: correctly spelled words that must never be read as another word.
    ///   - model: the second look, for lines no trigger catches (`safety-model.txt`).
    public init(categories: [SafetyCategory], groups: [String: [String]] = [:], knownWords: Set<String> = [],
                model: SafetyModel? = nil) {
        self.init(categories: categories, groups: groups, known: StringTable(knownWords.sorted()), model: model)
    }

    /// `known`: correctly spelled words that must never be read as another word (besides the triggers' own).
    init(categories: [SafetyCategory], groups: [String: [String]], known: StringTable, model: SafetyModel? = nil) {
        self.categories = categories
        // Its terms live in the numbered tables below; only the model's few numbers are kept with it.
        self.model = model.map { model in
            var numbers = model
            numbers.terms = [:]
            return numbers
        }
        modelCategories = model?.categories.map { id in categories.firstIndex { $0.id == id && $0.answer == nil } } ?? []
        var modelWords: [String: Int32] = [:]
        var names: [String] = []
        var wordTerms: [Int32: Int32] = [:]
        var pairTerms: [UInt64: Int32] = [:]
        var weights: [Double] = []
        var likelihoods: [Double] = []
        func number(_ word: Substring) -> Int32 {
            let word = String(word)
            if let known = modelWords[word] { return known }
            let next = Int32(modelWords.count)
            modelWords[word] = next
            return next
        }
        for (term, entry) in (model?.terms ?? [:]).sorted(by: { $0.key < $1.key }) {
            let parts = term.split(separator: " ")
            let index = Int32(weights.count)
            if parts.count == 1 {
                wordTerms[number(parts[0])] = index
            } else if parts.count == 2 {
                pairTerms[SafetyScreen.pairKey(number(parts[0]), number(parts[1]))] = index
            } else {
                continue
            }
            weights.append(entry.weight)
            likelihoods += entry.likelihoods
            names.append(term)
        }
        (modelVocabulary, modelWordTerms, modelPairTerms, modelTermNames) = (modelWords, wordTerms, pairTerms, names)
        (modelWeights, modelLikelihoods) = (weights, likelihoods)
        let groupNames = groups.keys.sorted()
        var groupIndex: [String: Int] = [:]
        for (index, name) in groupNames.enumerated() { groupIndex[name] = index }
        let compiledGroups = groupNames.map { name in
            groups[name]!.map { TextNormalizer.words($0) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        }
        // Every word a line is matched against, numbered in the order met.
        var wordNumbers: [String: Int32] = [:]
        func number(_ word: String) -> Int32 {
            if let known = wordNumbers[word] { return known }
            let next = Int32(wordNumbers.count)
            wordNumbers[word] = next
            return next
        }
        func code(_ elements: [Element]) -> [Code] {
            elements.map { element in
                switch element {
                case .word(let word): .word(number(word))
                case .group(let group): .group(group)
                case .number: .number
                case .gap: .gap
                case .longGap: .longGap
                }
            }
        }
        groupPhrases = compiledGroups.map { phrases in
            var byFirst: [Int32: [[Int32]]] = [:]
            for phrase in phrases {
                let numbers = phrase.map(number)
                byFirst[numbers[0], default: []].append(numbers)
            }
            return byFirst
        }
        var patterns: [Int32: [Pattern]] = [:]
        var numberPatterns: [Pattern] = []
        var exclusions: [Int32: [[Code]]] = [:]
        var numberExclusions: [[Code]] = []
        var vocabulary: Set<String> = []
        for phrases in compiledGroups { for phrase in phrases { vocabulary.formUnion(phrase) } }
        for (index, category) in categories.enumerated() {
            for trigger in category.triggers {
                var elements = SafetyScreen.compile(trigger, groups: groupIndex)
                while elements.first == .gap || elements.first == .longGap { elements.removeFirst() }
                while elements.last == .gap || elements.last == .longGap { elements.removeLast() }
                guard let first = elements.first else { continue }
                var pattern = Pattern(codes: code(elements), category: index, text: trigger)
                for case .word(let word) in elements.dropFirst() where !pattern.required.contains(number(word)) {
                    pattern.required.append(number(word))
                }
                for key in SafetyScreen.firstWords(of: [first], groups: compiledGroups) {
                    if key == "#" { numberPatterns.append(pattern) } else { patterns[number(key), default: []].append(pattern) }
                }
                for case .word(let word) in elements { vocabulary.insert(word) }
            }
            for exclusion in category.exclusions {
                let elements = SafetyScreen.compile(exclusion, groups: groupIndex)
                let codes = code(elements)
                for key in SafetyScreen.firstWords(of: elements, groups: compiledGroups) {
                    if key == "#" { numberExclusions.append(codes) } else { exclusions[number(key), default: []].append(codes) }
                }
            }
        }
        self.wordNumbers = wordNumbers
        self.patterns = patterns
        self.numberPatterns = numberPatterns
        self.exclusions = exclusions
        self.numberExclusions = numberExclusions
        self.past = categories.map { category in PhraseSet(category.past.map { TextNormalizer.words($0) }) }
        self.now = PhraseSet(groupIndex["now"].map { compiledGroups[$0] } ?? [])
        self.intent = PhraseSet(groupIndex["intent"].map { compiledGroups[$0] } ?? [])
        self.vocabulary = vocabulary
        self.known = known
        let spellings = vocabulary.filter { $0.utf8.count >= 4 }.sorted().map { Array($0.utf8) }
        self.spellings = spellings
        self.spellingIndex = SpellingIndex(spellings)
    }

    /// The words a line can have where `elements` start: its first word, each first word of its first group, or
    /// "#" for `{number}` (sorted, for the same order every run).
    static func firstWords(of elements: [Element], groups: [[[String]]]) -> [String] {
        switch elements.first {
        case .word(let word): [word]
        case .number: ["#"]
        case .group(let group): Set(groups[group].compactMap(\.first)).sorted()
        case .gap, .longGap, nil: []
        }
    }

    /// A trigger's elements: words, `*`, `...`, `{group}`, `{number}`.
    static func compile(_ trigger: String, groups: [String: Int]) -> [Element] {
        trigger.split(separator: " ").flatMap { piece -> [Element] in
            if piece == "*" { return [.gap] }
            if piece == "..." { return [.longGap] }
            if piece.hasPrefix("{") && piece.hasSuffix("}") {
                let name = String(piece.dropFirst().dropLast())
                if name == "number" { return [.number] }
                if let index = groups[name] { return [.group(index)] }
                return []
            }
            return TextNormalizer.words(String(piece)).map { .word($0) }
        }
    }

    /// The first section (in file order) whose trigger appears in `text`, or nil.
    public func screen(_ text: String) -> Finding? {
        var corrections: [Analyzer.Replacement] = []
        let written = TextNormalizer.words(text)
        var words = repaired(written, corrections: &corrections)
        let line = removeExclusions(&words)
        // Sections whose `past:` phrases place this line in the past, unless it also speaks of now.
        var skipped = Set<Int>()
        if past.contains(where: { !$0.isEmpty }) && !now.occurs(in: words) {
            for (index, phrases) in past.enumerated() where phrases.occurs(in: words) {
                skipped.insert(index)
            }
        }
        var best: Pattern?
        for start in 0..<line.count {
            // A number starts `{number}` patterns and patterns of a group that lists it (`{amount} too`).
            let candidates = line.isNumber[start]
                ? numberPatterns + (patterns[line.numbers[start]] ?? []) : (patterns[line.numbers[start]] ?? [])
            for pattern in candidates where (best == nil || pattern.category < best!.category)
                && !skipped.contains(pattern.category) && pattern.required.allSatisfy(line.numbers.contains) {
                if matches(pattern.codes, 0, line, start) { best = pattern }
            }
        }
        guard let best else { return secondLook(written, skipped: skipped) }
        // A section that is no emergency (a dose named or a dose request) does not hide one the second look
        // finds: "i took 2mg tonight goodbye" is a crisis.
        if categories[best.category].answer != nil, let finding = secondLook(written, skipped: skipped) { return finding }
        return Finding(category: categories[best.category].id, trigger: best.text, corrections: corrections)
    }

    /// The second look (`SafetyModel`) at a line no trigger caught: its words and word pairs as written (without
    /// the `not:` phrases) weigh toward a crisis or away from one; past the model's threshold, the line gets the
    /// section its words most likely belong to, unless a `past:` phrase put that section aside. The finding's
    /// trigger names the terms that weighed most.
    func secondLook(_ written: [String], skipped: Set<Int>) -> Finding? {
        guard let model else { return nil }
        var words = written
        removeExclusions(&words)  // as the triggers read it
        // Each term once, by number: the words' own terms, then their pairs (a removed phrase leaves "", which
        // is no word: nothing pairs across it).
        let numbers = words.map { $0.isEmpty ? nil : modelVocabulary[$0] }
        var terms = Set<Int32>()
        for number in numbers { if let number, let term = modelWordTerms[number] { terms.insert(term) } }
        for (first, second) in zip(numbers, numbers.dropFirst()) {
            if let first, let second, let term = modelPairTerms[SafetyScreen.pairKey(first, second)] { terms.insert(term) }
        }
        let count = model.categories.count
        var score = model.bias
        var sections = model.priors
        for term in terms {
            score += modelWeights[Int(term)]
            for index in sections.indices { sections[index] += modelLikelihoods[Int(term) * count + index] }
        }
        guard score > model.threshold else { return nil }
        let order = sections.indices.sorted { sections[$0] != sections[$1] ? sections[$0] > sections[$1] : $0 < $1 }
        guard let section = order.lazy.compactMap({ self.modelCategories[$0] }).first, !skipped.contains(section)
        else { return nil }
        let names = modelTermNames
        let strongest = terms.filter { modelWeights[Int($0)] > 0 }
            .sorted { modelWeights[Int($0)] != modelWeights[Int($1)] ? modelWeights[Int($0)] > modelWeights[Int($1)] : names[Int($0)] < names[Int($1)] }
            .prefix(SafetyScreen.termsShown).map { names[Int($0)] }
        return Finding(category: categories[section].id,
                       trigger: "second look: " + strongest.joined(separator: ", "), corrections: [], bySecondLook: true)
    }


    /// The key of a pair of word numbers.
    static func pairKey(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }

    /// How many terms a finding of the second look names.
    static let termsShown = 3

    /// Words with misspellings of trigger words repaired ("suicidle" → "suicidal", "myslef" → "myself").
    func repaired(_ words: [String], corrections: inout [Analyzer.Replacement]) -> [String] {
        var memo: [String: String] = [:]
        var result = words
        for (index, word) in words.enumerated() where !vocabulary.contains(word) && !known.contains(word) {
            if let fixed = memo[word] {
                result[index] = fixed
                continue
            }
            guard memo.count < SafetyScreen.repairLimit else { continue }
            let fixed = nearest(word) ?? word
            memo[word] = fixed
            if fixed != word {
                result[index] = fixed
                corrections.append(Analyzer.Replacement(written: word, canonical: fixed))
            }
        }
        return result
    }

    /// The closest trigger word: one edit away for words of up to six letters, two for longer words; on a tie,
    /// the first in alphabetical order.
    func nearest(_ word: String) -> String? {
        let length = word.utf8.count
        guard length >= 4, word.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return nil }
        let limit = length >= 7 ? 2 : 1
        let target = Array(word.utf8)
        var best: (index: Int, distance: Int)?
        for index in spellingIndex.candidates(for: target, within: limit) where abs(spellings[index].count - length) <= limit {
            let distance = Matcher.editDistance(target, spellings[index], limit: limit)
            guard distance <= limit else { continue }
            if let current = best, distance > current.distance || (distance == current.distance && index >= current.index) {
                continue
            }
            best = (index, distance)
        }
        return best.map { String(decoding: spellings[$0.index], as: UTF8.self) }
    }

    static func isNumber(_ word: String) -> Bool {
        guard let first = word.utf8.first, first >= 48 && first <= 57 else { return false }
        return word.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 }
    }

    /// Takes the `not:` phrases out of `words`, the longest that starts at a word first; each leaves "" in its place.
    /// Not from a line with a phrase of the `intent` group: "can you overdose on klonopin? i want to do it" is no
    /// question about risk when the person says they mean it.
    /// Returns the words left as the triggers read them (`Line`).
    @discardableResult
    private func removeExclusions(_ words: inout [String]) -> Line {
        var line = Line()
        line.numbers.reserveCapacity(words.count)
        line.isNumber.reserveCapacity(words.count)
        for word in words { line.append(wordNumbers[word] ?? -1, isNumber: SafetyScreen.isNumber(word)) }
        guard !exclusions.isEmpty || !numberExclusions.isEmpty, !intent.occurs(in: words) else { return line }
        var index = 0
        var kept: [String] = []
        var keptLine = Line()
        kept.reserveCapacity(words.count)
        while index < words.count {
            var longest = index
            for phrase in exclusions[line.numbers[index]] ?? [] {
                if let end = end(of: phrase, 0, line, index), end > longest { longest = end }
            }
            if line.isNumber[index] {
                for phrase in numberExclusions {
                    if let end = end(of: phrase, 0, line, index), end > longest { longest = end }
                }
            }
            if longest > index {
                kept.append("")  // keeps words on either side from joining into a trigger
                keptLine.append(-2, isNumber: false)
                index = longest
            } else {
                kept.append(words[index])
                keptLine.append(line.numbers[index], isNumber: line.isNumber[index])
                index += 1
            }
        }
        words = kept
        return keptLine
    }

    /// Where the longest match of `codes[e...]` (words, groups and numbers: a `not:` phrase) in `line` from `w`
    /// ends, or nil.
    private func end(of codes: [Code], _ e: Int, _ line: Line, _ w: Int) -> Int? {
        if e == codes.count { return w }
        guard w < line.count else { return nil }
        switch codes[e] {
        case .word(let word):
            return line.numbers[w] == word ? end(of: codes, e + 1, line, w + 1) : nil
        case .number:
            return line.isNumber[w] ? end(of: codes, e + 1, line, w + 1) : nil
        case .group(let group):
            var longest: Int?
            for phrase in groupPhrases[group][line.numbers[w]] ?? [] where w + phrase.count <= line.count {
                if line.holds(phrase, at: w), let end = end(of: codes, e + 1, line, w + phrase.count) {
                    longest = Swift.max(longest ?? end, end)
                }
            }
            return longest
        case .gap, .longGap:
            return nil
        }
    }

    /// Whether `codes[e...]` matches `line` from `w`.
    private func matches(_ codes: [Code], _ e: Int, _ line: Line, _ w: Int) -> Bool {
        if e == codes.count { return true }
        switch codes[e] {
        case .gap, .longGap:
            let most = codes[e] == .gap ? SafetyScreen.maxGap : SafetyScreen.maxLongGap
            for gap in 0...most where w + gap <= line.count {
                if matches(codes, e + 1, line, w + gap) { return true }
            }
            return false
        case .word(let word):
            return w < line.count && line.numbers[w] == word && matches(codes, e + 1, line, w + 1)
        case .number:
            return w < line.count && line.isNumber[w] && matches(codes, e + 1, line, w + 1)
        case .group(let group):
            guard w < line.count else { return false }
            for phrase in groupPhrases[group][line.numbers[w]] ?? [] where w + phrase.count <= line.count {
                if line.holds(phrase, at: w) && matches(codes, e + 1, line, w + phrase.count) { return true }
            }
            return false
        }
    }
}

/// Phrases (word lists) by their first word, so that finding whether any of them appears in a line costs one
/// lookup a word of the line, however many phrases there are.
struct PhraseSet: Sendable {
    private var byFirstWord: [String: [[String]]] = [:]

    init(_ phrases: [[String]]) {
        for phrase in phrases where !phrase.isEmpty { byFirstWord[phrase[0], default: []].append(phrase) }
    }

    var isEmpty: Bool { byFirstWord.isEmpty }

    /// Whether one of the phrases appears in `words`, word for word.
    func occurs(in words: [String]) -> Bool {
        for start in words.indices {
            guard let phrases = byFirstWord[words[start]] else { continue }
            for phrase in phrases where start + phrase.count <= words.count {
                if words[start..<start + phrase.count].elementsEqual(phrase) { return true }
            }
        }
        return false
    }
}
