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
    private let ignored: Set<String>
    /// Every word of the lexicon's variants: spelled as people write them, so never "corrected".
    private let lexiconWords: Set<String>
    /// The lexicon's follow-up words and phrases, as word lists.
    private let followUp: [[String]]

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
        self.ignored = Set(lexicon.ignored.flatMap(TextNormalizer.words))
        self.lexiconWords = Set(lexicon.entries.flatMap { $0.variants.flatMap(TextNormalizer.words) })
        self.followUp = lexicon.followUp.map(TextNormalizer.words).filter { !$0.isEmpty }
    }

    /// The words with the lexicon's variants replaced by their canonical words.
    public func canonicalWords(_ words: [String], replacements: inout [Replacement]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < words.count {
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
        followUp.contains { words.containsPhrase($0) }
    }

    /// The word pairs of `text`.
    public func pairs(_ text: String) -> [String] { pairs(words: TextNormalizer.words(text)) }

    public func isIgnored(_ word: String) -> Bool { ignored.contains(word) }

    /// True for a word the lexicon lists as a way people write something.
    public func isLexiconWord(_ word: String) -> Bool { lexiconWords.contains(word) }

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
