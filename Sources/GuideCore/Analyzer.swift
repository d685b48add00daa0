import GuideContent

/// Turns text into the terms the matcher compares: words, the lexicon's synonyms, little words dropped, stems.
public struct Analyzer: Sendable {
    /// A synonym replacement the analyzer made, for `why`.
    public struct Replacement: Hashable, Sendable {
        public var written: String
        public var canonical: String
    }

    /// Variant phrases by their first word, longest first.
    private let phrases: [String: [(words: [String], canonical: [String])]]
    /// The most words a variant phrase has: `variant(in:at:)` never looks further than this from where it starts.
    let longestVariant: Int
    private let ignored: Set<String>
    /// Every word of the lexicon's variants: spelled as people write them, so never "corrected".
    private let lexiconWords: Set<String>
    /// The lexicon's follow-up words and phrases, as word lists.
    private let followUp: [[String]]
    private let followUpOpeners: [[String]]
    /// The lexicon's everyday words: never mended, and never enough to say a question is about the subject.
    private let everyday: Set<String>
    /// The stems of the lexicon's `not-covered:` substances and `coming-off:` words (`substanceNotCovered`).
    private let notCovered: Set<String>
    private let comingOff: Set<String>
    private let comingOffLinks: Set<String>
    /// The lexicon's variant words of four letters or more, as UTF-8, sorted: a slip in one of them ("turky",
    /// "klonipn") is mended into it, and the lexicon then reads it as its canonical word.
    private let variantSpellings: [[UInt8]]
    /// Each variant spelling's set of letters (`SpellingIndex.mask`): most are ruled out by one XOR.
    private let variantMasks: [UInt32]
    /// The positions of the variant spellings by length in bytes, each list in order: a mistyped word is compared
    /// only with those of a length within its limit, not with every variant.
    private let variantsByLength: [[Int]]
    /// An age written as one is read as `ageReadsAs` (`Lexicon.ageFrom`): the first such age, the cues (each as
    /// its words; those of one word also joined to the number, "82f"), and the units that make a number a dose.
    private let ageFrom: Int?
    private let ageReadsAs: [String]
    private let ageCues: [[String]]
    private let ageUnits: Set<String>

    public init(lexicon: Lexicon) {
        var phrases: [String: [(words: [String], canonical: [String])]] = [:]
        for entry in lexicon.entries {
            let canonical = TextNormalizer.words(entry.canonical)
            for variant in entry.variants {
                let words = TextNormalizer.words(variant)
                guard let first = words.first, words != canonical else { continue }
                if phrases[first]?.contains(where: { $0.words == words }) == true { continue }
                phrases[first, default: []].append((words, canonical))
            }
        }
        for key in phrases.keys { phrases[key]!.sort { $0.words.count > $1.words.count } }
        self.phrases = phrases
        longestVariant = phrases.values.lazy.flatMap { $0 }.map(\.words.count).max() ?? 1
        self.ignored = Set(lexicon.ignored.flatMap(TextNormalizer.words))
        let lexiconWords = Set(lexicon.entries.flatMap { $0.variants.flatMap(TextNormalizer.words) })
        self.lexiconWords = lexiconWords
        self.followUp = lexicon.followUp.map(TextNormalizer.words).filter { !$0.isEmpty }
        self.followUpOpeners = lexicon.followUpOpeners.map(TextNormalizer.words).filter { !$0.isEmpty }
        self.everyday = Set(lexicon.everyday.flatMap(TextNormalizer.words))
        self.notCovered = Set(lexicon.notCovered.flatMap(TextNormalizer.words).map(Analyzer.stem))
        self.comingOff = Set(lexicon.comingOff.flatMap(TextNormalizer.words).map(Analyzer.stem))
        self.comingOffLinks = Set(lexicon.comingOffLinks.flatMap(TextNormalizer.words).map(Analyzer.stem))
        self.variantSpellings = lexiconWords.filter { $0.utf8.count >= 4 }.sorted().map { Array($0.utf8) }
        self.variantMasks = variantSpellings.map(SpellingIndex.mask)
        var byLength = [[Int]](repeating: [], count: (variantSpellings.map(\.count).max() ?? 0) + 1)
        for (index, spelling) in variantSpellings.enumerated() { byLength[spelling.count].append(index) }
        self.variantsByLength = byLength
        self.ageFrom = lexicon.ageFrom.first.flatMap { Int($0) }
        self.ageReadsAs = lexicon.ageReadsAs.flatMap(TextNormalizer.words)
        self.ageCues = lexicon.ageCues.map(TextNormalizer.words).filter { !$0.isEmpty }
        self.ageUnits = Set(lexicon.ageUnits.flatMap(TextNormalizer.words))
    }

    /// Whether `words[index]` is an age the lexicon reads as `ageReadsAs`: a whole number from `ageFrom` up (and
    /// under 120), with a cue right before it ("she is 77") or right after it ("83 years old"), or joined to it
    /// ("82f"), and no unit right after it ("im 75 mg").
    func isAge(_ words: [String], at index: Int) -> Bool {
        guard let ageFrom, !ageReadsAs.isEmpty else { return false }
        let word = words[index]
        let digits = word.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits), number >= ageFrom, number < 120 else { return false }
        if digits.count < word.count { return ageCues.contains([String(word.dropFirst(digits.count))]) }
        if index + 1 < words.count, ageUnits.contains(words[index + 1]) { return false }
        if ageCues.contains(where: { cue in
            index >= cue.count && words[(index - cue.count)..<index].elementsEqual(cue)
        }) { return true }
        return ageCues.contains { cue in
            index + 1 + cue.count <= words.count && words[(index + 1)..<(index + 1 + cue.count)].elementsEqual(cue)
        }
    }

    /// A substance the question is about coming off that the guide does not cover, as the lexicon reads it: a word
    /// of `not-covered:` right before a word of `coming-off:` ("alcohol withdrawal", "lyrica withdrawal
    /// symptoms"), or right after one, with or without a word of `coming-off-links:` between ("withdrawal from alcohol",
    /// "tapering off oxycodone"). Words apart do not count: "can i drink during withdrawal" is the guide's; nor
    /// does a question with another word of coming off of its own ("should i cut caffeine during my taper").
    public func substanceNotCovered(_ words: [String]) -> String? {
        guard !notCovered.isEmpty else { return nil }
        var replacements: [Replacement] = []
        let stems = canonicalWords(words, replacements: &replacements).map(Analyzer.stem)
        var found: String?
        // The words of coming off that go with a substance not covered; one that does not ("reduce caffeine
        // during withdrawal", "quit coffee during my taper") means the question is also about the person's own
        // coming off, which the guide covers.
        var paired = Set<Int>()
        for (index, stem) in stems.enumerated() where notCovered.contains(stem) {
            var partner: Int?
            if index + 1 < stems.count, comingOff.contains(stems[index + 1]) { partner = index + 1 }
            if index >= 1, comingOff.contains(stems[index - 1]) { partner = index - 1 }
            if index >= 2, comingOffLinks.contains(stems[index - 1]), comingOff.contains(stems[index - 2]) {
                partner = index - 2
            }
            if let partner {
                paired.insert(partner)
                found = found ?? stem
            }
        }
        guard let found else { return nil }
        return stems.indices.contains { comingOff.contains(stems[$0]) && !paired.contains($0) } ? nil : found
    }

    /// The words with the lexicon's variants replaced by their canonical words.
    public func canonicalWords(_ words: [String], replacements: inout [Replacement]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < words.count {
            if isAge(words, at: index) {
                result += ageReadsAs
                replacements.append(Replacement(written: words[index], canonical: ageReadsAs.joined(separator: " ")))
                index += 1
                continue
            }
            if let (written, canonical) = variant(in: words, at: index) {
                result += canonical
                replacements.append(Replacement(written: written.joined(separator: " "),
                                                canonical: canonical.joined(separator: " ")))
                index += written.count
            } else {
                result.append(words[index])
                index += 1
            }
        }
        return result
    }

    /// The longest lexicon variant that starts at `index` of `words`, and its canonical words.
    func variant(in words: [String], at index: Int) -> (written: [String], canonical: [String])? {
        guard let candidates = phrases[words[index]] else { return nil }
        for candidate in candidates where index + candidate.words.count <= words.count {
            if words[index..<index + candidate.words.count].elementsEqual(candidate.words) {
                return (candidate.words, candidate.canonical)
            }
        }
        return nil
    }

    /// Whether a lexicon variant starts with `word`.
    func startsVariant(_ word: String) -> Bool { phrases[word] != nil }

    /// The lexicon variants that start with `word`, longest first, as `variant(in:at:)` tries them; nil when none
    /// does.
    func variants(startingWith word: String) -> [(words: [String], canonical: [String])]? { phrases[word] }

    /// The terms of `text`.
    public func terms(_ text: String) -> [String] {
        var replacements: [Replacement] = []
        return terms(words: TextNormalizer.words(text), replacements: &replacements)
    }

    /// The terms of already-split words, noting synonym replacements.
    public func terms(words: [String], replacements: inout [Replacement]) -> [String] {
        canonicalWords(words, replacements: &replacements).compactMap { word in
            ignored.contains(word) ? nil : Analyzer.stem(word)
        }
    }

    /// Pairs of neighbouring words, little words kept, synonyms replaced and stems taken, joined by a space:
    /// "how long does it last" → "how long", "long doe", "doe it", "it last". They carry the shape of a question
    /// ("what is", "how long", "side effect") that single words lose.
    public func pairs(words: [String]) -> [String] {
        var replacements: [Replacement] = []
        let canonical = canonicalWords(words, replacements: &replacements).map(Analyzer.stem)
        guard canonical.count > 1 else { return [] }
        return (1..<canonical.count).map { canonical[$0 - 1] + " " + canonical[$0] }
    }

    /// The word pairs with the words they were made from: ("how long", "how long"), ("doe it", "does it").
    public func phrases(words: [String]) -> [(term: String, text: String)] {
        var replacements: [Replacement] = []
        let canonical = canonicalWords(words, replacements: &replacements)
        guard canonical.count > 1 else { return [] }
        return (1..<canonical.count).map { index in
            (Analyzer.stem(canonical[index - 1]) + " " + Analyzer.stem(canonical[index]),
             canonical[index - 1] + " " + canonical[index])
        }
    }

    /// True when the words point back to the last answer: they hold a `follow-up:` word or phrase of the lexicon.
    public func isFollowUp(_ words: [String]) -> Bool {
        followUp.contains { words.containsPhrase($0) } || opensNewSide(words)
    }

    /// Whether the words open a follow-up about a new side ("what about seizures?") and hold no word that points
    /// back at the last answer ("how long does that last?"): the lexicon's `follow-up-openers:` without its
    /// `follow-up:`.
    public func opensNewSide(_ words: [String]) -> Bool {
        followUpOpeners.contains { words.containsPhrase($0) } && !followUp.contains { words.containsPhrase($0) }
    }

    /// The word pairs of `text`.
    public func pairs(_ text: String) -> [String] { pairs(words: TextNormalizer.words(text)) }

    public func isIgnored(_ word: String) -> Bool { ignored.contains(word) }

    /// True for a word the lexicon lists as a way people write something.
    public func isLexiconWord(_ word: String) -> Bool { lexiconWords.contains(word) }

    /// The closest word of the lexicon's variants to a word it does not hold, and how far it is: one edit for
    /// words under seven letters, two from seven on (as `Matcher.correction`), ties to the first in
    /// alphabetical order. Nil for a word under four letters, beyond ASCII, or that nothing is close to.
    public func variantCorrection(for word: String) -> (word: String, distance: Int)? {
        guard word.count >= 4, word.unicodeScalars.allSatisfy({ $0.value < 128 }) else { return nil }
        let limit = word.count >= 7 ? 2 : 1
        let target = Array(word.utf8)
        let mask = SpellingIndex.mask(target)
        var best: (index: Int, distance: Int)?
        let (shortest, longest) = (Swift.max(target.count - limit, 0), Swift.min(target.count + limit, variantsByLength.count - 1))
        guard shortest <= longest else { return nil }
        for length in shortest...longest {
            for index in variantsByLength[length] where (variantMasks[index] ^ mask).nonzeroBitCount <= 2 * limit {
                let distance = Matcher.editDistance(target, variantSpellings[index], limit: limit)
                guard distance <= limit else { continue }
                // The nearest; of those as near, the first in alphabetical order (the lowest position).
                if best == nil || distance < best!.distance || (distance == best!.distance && index < best!.index) {
                    best = (index, distance)
                }
            }
        }
        return best.map { (String(decoding: variantSpellings[$0.index], as: UTF8.self), $0.distance) }
    }

    /// True for an everyday word (or one whose stem is), from the lexicon's `everyday:` lines: a word the person
    /// meant, never a slip to mend into a word of the guide ("heard" is not "hard", "paper" is not "taper").
    public func isEverydayWord(_ word: String) -> Bool {
        everyday.contains(word) || everyday.contains(Analyzer.stem(word))
    }

    /// A light English stemmer: tapering, tapered, tapers → taper.
    public static func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 128 && !TextNormalizer.isDigit($0) }) else { return nil }
            return stem(ascii: bytes)
        } ?? word
    }

    static let suffixes = ["ingly", "edly", "ing", "ied", "ies", "ed", "es", "s"]

    /// The stem of a word of ASCII letters, or nil when it stays as it is.
    private static func stem(ascii bytes: UnsafeBufferPointer<UInt8>) -> String? {
        func endsWith(_ suffix: String) -> Bool {
            let count = suffix.utf8.count
            return bytes.count >= count && bytes[(bytes.count - count)...].elementsEqual(suffix.utf8)
        }
        // Lengths count characters, as the stemmer always has: "\r\n" is one.
        var characters = bytes.count
        for index in bytes.indices.dropFirst() where bytes[index] == 10 && bytes[index - 1] == 13 { characters -= 1 }
        guard characters > 3 else { return nil }
        for suffix in suffixes {
            var end = bytes.count - suffix.utf8.count
            guard characters - suffix.utf8.count >= 3, endsWith(suffix) else { continue }
            if suffix == "s" && (endsWith("ss") || endsWith("us") || endsWith("is")) { return nil }
            if suffix == "es" && !(endsWith("shes") || endsWith("ches") || endsWith("xes") || endsWith("sses")) {
                continue
            }
            if suffix == "ing" || suffix == "ed" {
                // tapering → taper, stopped → stop, hoping → hop(e)
                let final = bytes[end - 1]
                if final == bytes[end - 2] && !"lsz".utf8.contains(final) { end -= 1 }
            }
            let stem = String(decoding: bytes[..<end], as: UTF8.self)
            return suffix == "ied" || suffix == "ies" ? stem + "y" : stem
        }
        return nil
    }
}
