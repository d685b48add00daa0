import GuideContent

/// The crisis screen: finds the emergency categories' trigger phrases in a line, after taking out figures of
/// speech. It runs on every line before anything else.
public struct SafetyScreen: Sendable {
    /// A compiled trigger: words, where "*" stands for up to three words.
    struct Pattern: Sendable {
        var words: [String]
        var category: Int
    }

    private let categories: [SafetyCategory]
    /// Patterns by their first word, longest first.
    private let patterns: [String: [Pattern]]
    /// Figures of speech by their first word, longest first.
    private let exclusions: [String: [[String]]]
    /// The most words a `*` stands for.
    static let maxGap = 3

    public init(categories: [SafetyCategory]) {
        self.categories = categories
        var patterns: [String: [Pattern]] = [:]
        var exclusions: [String: [[String]]] = [:]
        for (index, category) in categories.enumerated() {
            for trigger in category.triggers {
                let words = SafetyScreen.patternWords(trigger)
                guard let first = words.first(where: { $0 != "*" }) else { continue }
                // A leading '*' means nothing: trim it so the index key is a real word.
                let trimmed = Array(words.drop { $0 == "*" })
                patterns[first, default: []].append(Pattern(words: trimmed, category: index))
            }
            for exclusion in category.exclusions {
                let words = TextNormalizer.words(exclusion)
                guard let first = words.first else { continue }
                exclusions[first, default: []].append(words)
            }
        }
        for key in patterns.keys { patterns[key]!.sort { $0.words.count > $1.words.count } }
        for key in exclusions.keys { exclusions[key]!.sort { $0.count > $1.count } }
        self.patterns = patterns
        self.exclusions = exclusions
    }

    /// The words of a trigger, with `*` kept as its own word.
    static func patternWords(_ trigger: String) -> [String] {
        trigger.split(separator: " ").flatMap { piece -> [String] in
            piece == "*" ? ["*"] : TextNormalizer.words(String(piece))
        }
    }

    /// The first emergency category whose trigger appears in `text`, or nil.
    public func screen(_ text: String) -> SafetyCategory? {
        var words = TextNormalizer.words(text)
        removeExclusions(&words)
        var best: (position: Int, category: Int)?
        for start in words.indices {
            guard let candidates = patterns[words[start]] else { continue }
            for pattern in candidates where matches(pattern.words, in: words, at: start) {
                if best == nil || pattern.category < best!.category { best = (start, pattern.category) }
                break
            }
        }
        return best.map { categories[$0.category] }
    }

    private func removeExclusions(_ words: inout [String]) {
        guard !exclusions.isEmpty else { return }
        var index = 0
        var kept: [String] = []
        kept.reserveCapacity(words.count)
        outer: while index < words.count {
            if let candidates = exclusions[words[index]] {
                for phrase in candidates where index + phrase.count <= words.count {
                    if words[index..<index + phrase.count].elementsEqual(phrase) {
                        kept.append("")  // keeps words on either side from joining into a trigger
                        index += phrase.count
                        continue outer
                    }
                }
            }
            kept.append(words[index])
            index += 1
        }
        words = kept
    }

    private func matches(_ pattern: [String], in words: [String], at start: Int) -> Bool {
        func match(_ p: Int, _ w: Int) -> Bool {
            if p == pattern.count { return true }
            if pattern[p] == "*" {
                for gap in 0...SafetyScreen.maxGap where w + gap <= words.count {
                    if match(p + 1, w + gap) { return true }
                }
                return false
            }
            guard w < words.count, words[w] == pattern[p] else { return false }
            return match(p + 1, w + 1)
        }
        return match(0, start)
    }
}
