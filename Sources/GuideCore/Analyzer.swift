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
    /// The lexicon's variant words of four letters or more, as UTF-8, sorted: a slip in one of them ("turky",
    /// "klonipn") is mended into it, and the lexicon then reads it as its canonical word.
    private let variantSpellings: [[UInt8]]

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
        let lexiconWords = Set(lexicon.entries.flatMap { $0.variants.flatMap(TextNormalizer.words) })
        self.lexiconWords = lexiconWords
        self.followUp = lexicon.followUp.map(TextNormalizer.words).filter { !$0.isEmpty }
        self.variantSpellings = lexiconWords.filter { $0.utf8.count >= 4 }.sorted().map { Array($0.utf8) }
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

    /// The closest word of the lexicon's variants to a word it does not hold, and how far it is: one edit for
    /// words under seven letters, two from seven on (as `Matcher.correction`), ties to the first in
    /// alphabetical order. Nil for a word under four letters, beyond ASCII, or that nothing is close to.
    public func variantCorrection(for word: String) -> (word: String, distance: Int)? {
        guard word.count >= 4, word.unicodeScalars.allSatisfy({ $0.value < 128 }) else { return nil }
        let limit = word.count >= 7 ? 2 : 1
        let target = Array(word.utf8)
        var best: (index: Int, distance: Int)?
        for (index, variant) in variantSpellings.enumerated() where abs(variant.count - target.count) <= limit {
            let distance = Matcher.editDistance(target, variant, limit: limit)
            if distance <= limit && distance < (best?.distance ?? limit + 1) { best = (index, distance) }
        }
        return best.map { (String(decoding: variantSpellings[$0.index], as: UTF8.self), $0.distance) }
    }

    /// True for an everyday English word (or one whose stem is): a word the person meant, never a slip to mend
    /// into a word of the guide ("heard" is not "hard", "paper" is not "taper", "tire" is not "time").
    public static func isEverydayWord(_ word: String) -> Bool {
        everydayWords.contains(word) || everydayWords.contains(stem(word))
    }

    /// Common English words of four letters or more, none of them a word of the guide's subject.
    static let everydayWords: Set<String> = Set("""
        able about above absolutely accept account across action actually address adhd admit advice afraid after
        afternoon again against ahead airport album allow almost alone along already alright although always amazing
        among amount animal another answer anybody anymore anyone anything anywhere apart apartment apple apply argue
        army around arrive article artist asleep assume aunt average avoid awake award aware awesome awful baby back
        bacon badly bake baking ball banana band bank bars baseball basic basket basketball bath bathroom battery
        beach bean bear beat beautiful because become bedroom beef beer before begin behind believe belly below belt
        bench beside best better between bicycle bike bill bird birthday bitcoin bite black blame blank bless blind
        block blog blood blue board boat body boil bone book boot border bored boring born borrow boss both bother
        bottle bottom bought bowl boyfriend brain brake branch brand bread break breakfast bridge brief bright bring
        broken brother brown brush budget build building bunch burger burn burning business busy butter button buying
        cable cake calendar call calories came camera camp cancel candy capital card care career carry case cash cast
        castle catch cause ceiling cell center chair challenge chance change channel chapter charge charger chart chat
        cheap check cheese chef chest chicken child children chip chocolate choice choose church city claim class
        clean clear clever click client climb clock close clothes cloud club coach coat code coffee coin cold college
        color come comment common company compare complete computer concert cook cookie cooking cool copy corn corner
        correct cost couch could count country couple course court cousin cover crazy cream credit crew cross crowd
        crying cube culture curious current customer cute daily damage dance dark data date daughter dead deal dear
        death debt decide deep deer degree delete deliver dentist design desk detail diaper dinner direct dirty
        discount dish dishes doing dollar door double down draft draw dream dress drive driver driving drop during
        dust each early earn easily east easy edge eight either election else email empty ending engine enjoy enough
        enter entire error escape even evening event ever every everybody everyone everything exactly exam example
        excited excuse exercise expect expensive explain extra face fact fair fall false family famous fancy farm
        fashion fast father fault favorite fear feature feed feel feet fell fellow felt female fence field fight
        figure file fill film final finally find fine finger finish fire first fish five flag flat flight floor flower
        focus folder follow food foot football force forest forget form forward four free fresh friday fridge friend
        front fruit full funny future game garage garden gate gather gave general gift girl give given glad glass
        global goal gold golf gone good google grab grade grand grandson grape grapes grass great green grind grinding
        ground group grow guess guest guitar guys habit hair half hall hand handed handle hands hang happen happy hard
        hate have head health hear heard heart heat heavy height hello help here hero hide high hill himself history
        hobby hold hole holiday home homework honest hope horse hospital host hotel hour house huge human humor
        hundred hungry hunt hurry husband idea image impact inch include income indeed inside instead into iphone iron
        island issue item jacket jeans jersey join joke journey juice jump junk keep kept keyboard kick kids kill kind
        king kiss kitchen knee knew knife knock know label lady lake land language laptop large last late later laugh
        launch lawn lazy lead leader learn least leave left legal lemon lend less lesson letter level library lift
        lifted light like limit line link list listen little live load loan local lock long look loose lose lost loud
        love low lower luck lunch machine magic mail main major make male mall manage many market marry match math matter
        maybe meal mean meat meet meeting member memory menu message metal meter middle might mile milk mind mine
        minute mirror miss mistake model modern moment money monkey month mood moon morning most mother motor mount
        mountain mouse mouth move movie much music must myself name narrow nation nature near neat neck need neighbor
        network never news next nice night nine noise none noon normal north note nothing notice novel number nurse
        ocean offer office often okay once online only open order other ought outside oven over owner pack page paid
        pain paint pair pants paper parent park part party pass past path pattern pause peace pencil people pepper
        perfect perhaps person phone photo piano pick picture piece pink pizza place plan plane plant plate play
        player please plenty pocket point police polish pool poor popular position positive post potato pound power
        practice prefer prepare present press pretty prevent price print printer prize problem product program project
        promise proper protect proud prove pull purple purpose push puzzle quarter queen quick quiet quit quite race
        radio rain raise range rare rate rather reach read reading ready real reason receive recent recipe record
        relax remember remind remove rent repair repeat reply report rest result return rice rich ride right ring rise
        river road rock role roll roof room rope round route rule rush safe said sale salt same sand save scarf school
        score screen search season seat second secret seek seeking seem seen sell send sense serve service seven shape
        share sharing sharp shelf shirt shoe shoes shop shopping short shot shoulder shout show shower sick sign silly
        simple since sing single sink sister site size skill skin skirt sleeve slide slow small smart smell smile
        smoke snack snow soap soccer sock sofa soft solid solve someone something sometimes song soon sorry sort sound
        soup south space spare speak special speed spell spend spoon sport spot spring square staff stage stair stamp
        stand star start state station stay steak step stick stock stone store storm story stove straight strange
        street strong student study stuff style subject such sugar suit summer sunday super supper sure surface
        surprise sweet swim switch table tail take talk tall task taste taxi teach team tear teeth tell tend tennis
        tent term test text than their theme there thick thin thing think third those though thought thousand three
        throat throw ticket tiger tight till time tiny tire tired title today together toilet told tomato tomorrow
        tone tonight took tool tooth topic total touch tough tour towel tower town track trade traffic train travel
        tree trick trip truck true trust truth turn twice type ugly uncle under unit until upon upset used user usual
        vacation valley value video view visit voice vote wait wake walk wall want warm wash watch water wave weak
        wear weather website wedding week weekend weight weird welcome well west what wheel when where which while
        white whole wide wife wifi wild will wind window wine wing winter wire wise wish with within without woman
        wonder wood word work world worry worth would write wrong yard year yellow yesterday young yourself youth zero
        zone
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

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
