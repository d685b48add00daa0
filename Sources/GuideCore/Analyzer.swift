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
    }

    /// The words with the lexicon's variants replaced by their canonical words.
    public func canonicalWords(_ words: [String], replacements: inout [Replacement]) -> [String] {
        var result: [String] = []
        var index = 0
        outer: while index < words.count {
            if let candidates = phrases[words[index]] {
                for candidate in candidates where index + candidate.words.count <= words.count {
                    if Array(words[index..<index + candidate.words.count]) == candidate.words {
                        result += candidate.canonical
                        replacements.append(Replacement(written: candidate.words.joined(separator: " "),
                                                        canonical: candidate.canonical.joined(separator: " ")))
                        index += candidate.words.count
                        continue outer
                    }
                }
            }
            result.append(words[index])
            index += 1
        }
        return result
    }

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

    public func isIgnored(_ word: String) -> Bool { ignored.contains(word) }

    /// A light English stemmer: tapering, tapered, tapers → taper.
    public static func stem(_ word: String) -> String {
        guard word.count > 3, word.unicodeScalars.allSatisfy({ $0.value < 128 && !TextNormalizer.isDigit($0) }) else {
            return word
        }
        var stem = word
        for suffix in ["ingly", "edly", "ing", "ied", "ies", "ed", "es", "s"] {
            guard stem.hasSuffix(suffix), stem.count - suffix.count >= 3 else { continue }
            if suffix == "s" && (stem.hasSuffix("ss") || stem.hasSuffix("us") || stem.hasSuffix("is")) { break }
            if suffix == "es" && !(stem.hasSuffix("shes") || stem.hasSuffix("ches") || stem.hasSuffix("xes") || stem.hasSuffix("sses")) {
                continue
            }
            stem = String(stem.dropLast(suffix.count))
            if suffix == "ied" || suffix == "ies" { stem += "y" }
            if suffix == "ing" || suffix == "ed" {
                // tapering → taper, stopped → stop, hoping → hop(e)
                let scalars = Array(stem.unicodeScalars)
                if scalars.count >= 3, scalars[scalars.count - 1] == scalars[scalars.count - 2],
                    !"lsz".unicodeScalars.contains(scalars[scalars.count - 1])
                {
                    stem = String(stem.dropLast())
                }
            }
            break
        }
        return stem
    }
}
