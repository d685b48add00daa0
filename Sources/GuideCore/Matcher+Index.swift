#if canImport(Glibc)
import Glibc
#endif
import GuideContent

extension Matcher {
    /// Builds the matcher's word model of each topic. Words and terms are numbered as they first appear
    /// (`StringNumbering`: keyed by their UTF-8 bytes), and everything else is kept by number: a word of an answer's
    /// text costs one hash of its bytes, and what it means (its term, that the lexicon ignores it, or that a lexicon
    /// variant may start with it) is worked out once for each distinct word. No `String` is made for an occurrence.
    struct IndexBuilder {
        let analyzer: Analyzer
        /// The topics' ids and the size of each one's word model (the sum of its weighted counts), in the order
        /// they were added: a topic's number is its place here.
        var documentIDs: [String] = []
        var totals: [Double] = []
        /// Every stem met (of a word, or of a lexicon word a variant was read as), numbered as first met; a
        /// stem may be no term (the stem of an `ignore:` word is met only in pairs).
        var stems = StringNumbering(dense: true)
        /// Every term met so far, by number: a word's stem or a pair of two (`TermNumbering`: keyed by their stem
        /// numbers, so no string is made for a pair until the term table is).
        var terms = TermNumbering()
        /// How often each stem is used as a term, in every field of every topic (for spelling: the most used word
        /// wins), and whether it is a word of a title or an example question (the words people ask with, which
        /// spelling mends into); by stem number. Pairs need neither.
        var uses: [Int32] = []
        var asked: [Bool] = []
        /// Each topic's terms and their weighted counts, one list a topic in the order they were added, each in term
        /// order (`TermCounts`). The postings are made from them at the end (`Postings`): one flat list a topic
        /// costs far less than a growing list a term.
        var counts = TermCounts()
        /// The counts of the topics of the builders merged into this one (`merge`), whose topics come after its own,
        /// each with each of its terms' number here.
        var laterCounts: [(counts: TermCounts, terms: [Int32])] = []

        /// How many topics were added, the merged builders' too.
        var topicCount: Int { laterCounts.reduce(counts.count) { $0 + $1.counts.count } }

        /// Each topic's terms and counts (`TermCounts.entry`s, in term order) by this builder's term numbers, the
        /// merged builders' topics too: what the postings are made of (for tests).
        var countLists: [[UInt64]] {
            var lists: [[UInt64]] = []
            for (part, numbers) in [(counts, nil)] + laterCounts.map({ ($0.counts, Optional($0.terms)) }) {
                part.forEachList { _, bytes in
                    var list: [UInt64] = []
                    TermCounts.forEach(bytes) { term, units in
                        list.append(TermCounts.entry(numbers.map { $0[Int(term)] } ?? term, units))
                    }
                    lists.append(list.sorted())
                }
            }
            return lists
        }
        /// The title and example questions' keys (`Matcher.exampleKey`: their sets of terms), as they were read,
        /// topic after topic: numbered once, for the matcher's example table (`ExampleKeys.takeTable()`).
        var exampleKeys = ExampleKeys()
        /// Every word met: written in a title, an example question or an answer text, or a lexicon word a
        /// variant was read as, or a word of an id.
        var words = StringNumbering(dense: true)
        /// The words written in the topics of builders merged into this one (`merge`) that this one does not have
        /// (those it has are marked written here): only what `writtenWords` needs of their words.
        private var mergedWrittenWords: [StringList] = []
        /// What each word of `words` is to the model, by number (`WordFacts`, with its stem's number in `stems`):
        /// one small table read for every word of every answer text (its stem beside its facts, so that a word
        /// read costs one place in memory, not two).
        var wordFacts: [WordFacts] = []
        /// The lexicon variants that start with a word (`WordFacts.variants`), read once for each such word: a
        /// variant is then found in an answer's words by comparing their bytes, with no `String` made for them.
        private var variantLists: [[VariantPhrase]] = []
        /// The weighted count of each term in the topic being added, in `weightUnit`s, and which terms it has, in
        /// the order first counted: scratch, let go of by `merge`.
        private var weights = TopicWeights()
        private var touched: [Int32] = []
        private var topicCounts: [UInt64] = []
        /// Scratch bytes for an example's key (and its stems), and for a topic's counts.
        private var pairKey: [UInt8] = []
        private var exampleStems: [Int32] = []
        private var scratch: [UInt8] = []

        /// Every topic's terms and their weighted counts (in `weightUnit`s), a list a topic in term order, each term
        /// as its gap from the previous one and each number as a variable-length integer (seven bits a byte, low
        /// bits first, the high bit set on all bytes but the last): about three bytes a term where two 32-bit numbers
        /// take eight. The lists are written one after another into blocks of `chunkSize` bytes (a list never
        /// crosses blocks), each its own mapping (`Matcher.mapLargeBlocks`), so that a block read for the postings
        /// goes back to the system at once (`takeLists`), where thousands
        /// of small lists would leave their memory among other small blocks. All topics' counts are held until the
        /// postings are made, and they are what a big bundle's first start holds most of besides the index itself.
        struct TermCounts: Equatable {
            static let chunkSize = 1 << 20
            /// The blocks: each reserved at `chunkSize` bytes, or bigger for a list that alone is bigger.
            private(set) var chunks: [[UInt8]] = []
            /// Each topic's list's end in its block, and the number of topics in each block.
            private(set) var ends: [UInt32] = []
            private(set) var topicsInChunk: [Int32] = []

            init() {}

            /// How many topics there are.
            var count: Int { ends.count }

            /// Adds the next topic's list, encoded in `bytes` (`append(_:_:to:)`).
            mutating func append(_ bytes: [UInt8]) {
                if chunks.isEmpty || chunks[chunks.count - 1].count + bytes.count > chunks[chunks.count - 1].capacity {
                    var chunk: [UInt8] = []
                    chunk.reserveCapacity(Swift.max(TermCounts.chunkSize, bytes.count))
                    chunks.append(chunk)
                    topicsInChunk.append(0)
                }
                chunks[chunks.count - 1].append(contentsOf: bytes)
                ends.append(UInt32(chunks[chunks.count - 1].count))
                topicsInChunk[chunks.count - 1] += 1
            }

            /// A term and its count as one number for `encode`: the term in the high 32 bits, so that numbers sort
            /// as their terms do.
            @inline(__always)
            static func entry(_ term: Int32, _ units: UInt32) -> UInt64 { UInt64(UInt32(term)) << 32 | UInt64(units) }

            /// Encodes one topic's terms (each once) and their counts (`entry`s) at the end of `bytes`, in term order:
            /// each term as its gap from the previous one (from 0 for the first), which is shorter than its number.
            /// `list` is sorted (`sortNumbers`: no term comes twice, so any order of sorting gives the same list;
            /// the standard library's stable sort of pairs took a tenth of a big bundle's indexing).
            static func encode(_ list: inout [UInt64], to bytes: inout [UInt8]) {
                list.withUnsafeMutableBufferPointer { sortNumbers($0) }
                var previous: UInt32 = 0
                for entry in list {
                    let term = UInt32(truncatingIfNeeded: entry >> 32)
                    VarInt.append(term - previous, to: &bytes)
                    VarInt.append(UInt32(truncatingIfNeeded: entry), to: &bytes)
                    previous = term
                }
            }

            /// Each topic's list, in topic order, as its number and bytes (valid only inside `body`).
            func forEachList(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
                var topic = 0
                for chunk in chunks.indices {
                    chunks[chunk].withUnsafeBufferPointer { read($0, chunk, &topic, body) }
                }
            }

            /// `forEachList`, each block let go of once read: these counts are empty after.
            mutating func takeLists(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
                var topic = 0
                for chunk in chunks.indices {
                    let bytes = chunks[chunk]
                    chunks[chunk] = []
                    bytes.withUnsafeBufferPointer { read($0, chunk, &topic, body) }
                }
                self = TermCounts()
            }

            private func read(_ bytes: UnsafeBufferPointer<UInt8>, _ chunk: Int, _ topic: inout Int,
                              _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
                var start = 0
                for _ in 0..<Int(topicsInChunk[chunk]) {
                    let end = Int(ends[topic])
                    body(topic, UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                    topic += 1
                }
            }

            /// Each term and its count of one topic's list, in term order.
            @inline(__always)
            static func forEach(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int32, UInt32) -> Void) {
                var index = 0
                var term: Int32 = 0
                while index < bytes.count {
                    term += Int32(VarInt.next(bytes, &index))
                    body(term, VarInt.next(bytes, &index))
                }
            }

            /// Sorts `numbers` by their high 32 bits (each number's are its own): a radix sort, eight bits a pass
            /// from the lowest, as many passes as the largest needs (three for a few hundred thousand terms), each
            /// from one buffer into the other. No comparison, so no branch mispredicted for each number, where a
            /// comparison sort of a topic's few hundred terms cost more than reading the topic.
            static func sortNumbers(_ numbers: UnsafeMutableBufferPointer<UInt64>) {
                let count = numbers.count
                guard count > 1 else { return }
                // A few numbers: an insertion sort costs less than one pass's 256 counts.
                if count <= 32 {
                    for next in 1..<count {
                        let value = numbers[next]
                        var place = next
                        while place > 0 && numbers[place - 1] >> 32 > value >> 32 {
                            numbers[place] = numbers[place - 1]
                            place -= 1
                        }
                        numbers[place] = value
                    }
                    return
                }
                var largest: UInt64 = 0
                for number in numbers { largest = Swift.max(largest, number >> 32) }
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { other in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { starts in
                        var (source, target) = (numbers, other)
                        var shift: UInt64 = 32
                        while largest > 0 {
                            starts.initialize(repeating: 0)
                            for number in source { starts[Int(truncatingIfNeeded: (number >> shift) & 0xFF)] += 1 }
                            var total = 0
                            for digit in 0..<256 {
                                let size = starts[digit]
                                starts[digit] = total
                                total += size
                            }
                            for number in source {
                                let digit = Int(truncatingIfNeeded: (number >> shift) & 0xFF)
                                target[starts[digit]] = number
                                starts[digit] += 1
                            }
                            swap(&source, &target)
                            shift += 8
                            largest >>= 8
                        }
                        if source.baseAddress != numbers.baseAddress {
                            _ = numbers.update(fromContentsOf: source)
                        }
                    }
                }
            }
        }

        /// The weighted counts of the topic being added, by term: a small open addressing table (linear probing, at
        /// most half full) of the topic's few hundred terms, which stays in the processor's cache, where a table as
        /// long as all the terms would cost four bytes a term and a cache miss a word.
        struct TopicWeights {
            /// A term's number plus one in the high 32 bits (0: an empty slot) and its count in the low.
            private var slots = [UInt64](repeating: 0, count: 1024)
            private var used = 0

            /// Adds `units` to term `term`'s count; true when the term was not counted yet.
            @inline(__always)
            mutating func add(_ term: Int32, _ units: UInt32) -> Bool {
                let key = UInt64(UInt32(term) + 1) << 32
                let mask = slots.count - 1
                var slot = TopicWeights.hash(term) & mask
                while slots[slot] != 0 {
                    if slots[slot] & 0xFFFF_FFFF_0000_0000 == key {
                        slots[slot] += UInt64(units)
                        return false
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = key | UInt64(units)
                used += 1
                if 2 * used > slots.count { grow() }
                return true
            }

            /// Term `term`'s count (0 when it is not counted).
            subscript(term: Int32) -> UInt32 {
                let key = UInt64(UInt32(term) + 1) << 32
                let mask = slots.count - 1
                var slot = TopicWeights.hash(term) & mask
                while slots[slot] != 0 {
                    if slots[slot] & 0xFFFF_FFFF_0000_0000 == key { return UInt32(truncatingIfNeeded: slots[slot]) }
                    slot = (slot + 1) & mask
                }
                return 0
            }

            /// No counts, for the next topic.
            mutating func removeAll() {
                for index in slots.indices { slots[index] = 0 }
                used = 0
            }

            private static func hash(_ term: Int32) -> Int {
                Int(truncatingIfNeeded: (UInt64(UInt32(term)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
            }

            private mutating func grow() {
                let old = slots
                slots = [UInt64](repeating: 0, count: 2 * old.count)
                let mask = slots.count - 1
                for entry in old where entry != 0 {
                    var slot = TopicWeights.hash(Int32(truncatingIfNeeded: (entry >> 32) - 1)) & mask
                    while slots[slot] != 0 { slot = (slot + 1) & mask }
                    slots[slot] = entry
                }
            }
        }

        /// A lexicon variant as the builder looks for it: its words after the first (which it is found by) as UTF-8,
        /// its canonical words, and their stems (nil for a word the lexicon ignores).
        struct VariantPhrase {
            var rest: [[UInt8]]
            var canonical: [String]
            var canonicalStems: [String?]
            /// The number in `words` of each word of `rest` once an answer's word was found to be it (-1 before),
            /// for a word of ASCII alone: another ASCII word is then told apart by its number, without reading its
            /// bytes.
            var restNumbers: [Int32]
        }

        /// What the lexicon says of a word of `words`, read once, and whether the topics use it as written.
        /// (The number first: eight bytes a word, where a flag before it took twelve.)
        struct WordFacts {
            /// The word's stem, by number in `stems`.
            var stem: Int32
            /// The lexicon variants that start with the word, as their place in `variantLists`; -1 for none.
            var variants: Int32
            var isIgnored: Bool
            /// Written in a title, an example question or an answer text (not only a word of an id or of a
            /// lexicon replacement): the words the crisis screen never repairs.
            var isWritten: Bool
            var isASCII: Bool
            var startsVariant: Bool { variants >= 0 }
        }

        init(analyzer: Analyzer) {
            self.analyzer = analyzer
        }

        /// The number of a stem, new or not.
        private mutating func stem(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            let (number, isNew) = stems.add(bytes)
            if isNew {
                uses.append(0)
                asked.append(false)
            }
            return number
        }

        /// `stem(_:)` for a string.
        private mutating func stem(_ string: String) -> Int32 {
            var string = string
            return string.withUTF8 { stem($0) }
        }

        /// The term number of the pair of two words' stems ("how long"), keyed by their stem numbers.
        @inline(__always)
        private mutating func pairTerm(_ first: Int32, _ second: Int32) -> Int32 {
            terms.pair(wordFacts[Int(first)].stem, wordFacts[Int(second)].stem)
        }

        /// Every term by number, as strings (a pair: its two stems and a space): what the terms are, for tests (the
        /// matcher's `TermTable` keeps them by their stems).
        var termList: StringList { terms.list(stems: stems) }

        /// The number of a word, added with what the lexicon says of it when it is new; `written` marks it as a
        /// word the topics use as written.
        private mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, written: Bool) -> Int32 {
            let (number, isNew) = words.add(bytes)
            if isNew {
                let word = String(decoding: bytes, as: UTF8.self)
                var variants: Int32 = -1
                if let phrases = analyzer.variants(startingWith: word) {
                    variants = Int32(variantLists.count)
                    variantLists.append(phrases.map { phrase in
                        VariantPhrase(rest: phrase.words.dropFirst().map { Array($0.utf8) }, canonical: phrase.canonical,
                                      canonicalStems: phrase.canonical.map { analyzer.isIgnored($0) ? nil : Analyzer.stem($0) },
                                      restNumbers: Array(repeating: -1, count: phrase.words.count - 1))
                    })
                }
                let stemNumber = stem(Analyzer.stem(word))
                wordFacts.append(WordFacts(stem: stemNumber, variants: variants, isIgnored: analyzer.isIgnored(word),
                                           isWritten: written, isASCII: !bytes.contains { $0 >= 0x80 }))
            } else if written && !wordFacts[Int(number)].isWritten {
                wordFacts[Int(number)].isWritten = true
            }
            return number
        }

        /// The words of `text` by number (`TextNormalizer.words`).
        private mutating func words(of text: String, written: Bool) -> [Int32] {
            var numbers: [Int32] = []
            TextNormalizer.forEachWord(text) { numbers.append(word($0, written: written)) }
            return numbers
        }

        /// Adds what `other` built from later topics, as if this builder had read them after its own: their new
        /// terms are numbered after its terms, in the order `other` met them, and their topics after its topics.
        /// Each of `other`'s tables is let go of once it is merged, and the scratch of both, so that the two are
        /// never held twice; its words are kept only as the words its topics write (all `writtenWords` needs), and
        /// its counts as they are, with its terms' numbers here (`laterCounts`).
        mutating func merge(_ other: consuming IndexBuilder) {
            weights = TopicWeights()
            other.weights = TopicWeights()
            // Of `other`'s words, only those its topics write are needed, and of those only the ones this builder
            // does not have (most words of a bundle are in both halves): a word it has is marked written here.
            // Its terms and keys are only read by number from here.
            // (As lists of strings in one block each, not as a set of strings: the set is made once, at the end.)
            mergedWrittenWords += other.mergedWrittenWords
            mergedWrittenWords.append(other.ownWrittenWords { word in
                guard let known = words.number(of: word) else { return true }
                wordFacts[Int(known)].isWritten = true
                return false
            })
            other.words = StringNumbering()
            other.wordFacts = []
            other.stems.dropSlots()
            other.terms.dropSlots()
            // `other`'s stems by their numbers here, then its terms.
            stems.reserve(other.stems.count, bytes: other.stems.utf8.count)
            var stemNumbers = [Int32](repeating: 0, count: other.stems.count)
            for otherStem in 0..<other.stems.count {
                let number = other.stems.withBytes(otherStem) { stem($0) }
                stemNumbers[otherStem] = number
                uses[Int(number)] += other.uses[otherStem]
                asked[Int(number)] = asked[Int(number)] || other.asked[otherStem]
            }
            other.stems = StringNumbering()
            other.uses = []
            other.asked = []
            var termNumbers = terms.merge(other.terms, stems: stemNumbers)
            other.terms = TermNumbering()
            // `other`'s counts are kept as they are, with its terms' numbers here: the postings read them so (where
            // renumbering, sorting and encoding them again took most of the merge, on one thread).
            for part in other.laterCounts { laterCounts.append((part.counts, part.terms.map { termNumbers[Int($0)] })) }
            laterCounts.append((other.counts, termNumbers))
            (other.counts, other.laterCounts, termNumbers) = (TermCounts(), [], [])
            // `other`'s example keys hold its stem numbers: each is made again with the numbers here.
            exampleKeys.append(other.exampleKeys, stems: stemNumbers)
            other.exampleKeys = ExampleKeys()
            stemNumbers = []
            documentIDs += other.documentIDs
            totals += other.totals
        }

        /// Adds a topic as the next document (topics are added in the order of their ids; none after a merge).
        mutating func add(_ topic: Topic) {
            precondition(laterCounts.isEmpty, "no topic is added after a merge")
            let document = counts.count
            var total = 0.0
            // Titles and example questions also hold their word pairs, for phrase matches.
            let title = canonical(words(of: topic.title, written: true))
            addExample(title, document)
            let titleWords = canonical(words(of: topic.title + " " + topic.id.replacingDashes(), written: false))
            total += field(words: titleWords, pairs: [title], field: 0)
            var asks: [[Int32]] = []
            for ask in topic.asks {
                let words = canonical(words(of: ask, written: true))
                addExample(words, document)
                asks.append(words)
            }
            total += field(words: Array(asks.joined()), pairs: asks, field: 1)
            total += Matcher.weights[2] * Double(addText(topic.body))
            scratch.removeAll(keepingCapacity: true)
            topicCounts.removeAll(keepingCapacity: true)
            for id in touched { topicCounts.append(TermCounts.entry(id, weights[id])) }
            TermCounts.encode(&topicCounts, to: &scratch)
            counts.append(scratch)
            weights.removeAll()
            touched.removeAll(keepingCapacity: true)
            documentIDs.append(topic.id)
            totals.append(total)
        }

        /// Every word the topics read so far use, as written: of their titles, example questions and answer texts.
        var writtenWords: WrittenWords { WrittenWords(lists: mergedWrittenWords + [ownWrittenWords()]) }

        /// `writtenWords`, this builder's words let go of.
        mutating func takeWrittenWords() -> WrittenWords {
            let written = writtenWords
            mergedWrittenWords = []
            words = StringNumbering()
            wordFacts = []
            return written
        }

        /// The words of `words` the topics write, in one block; with `keep`, only those it keeps (given their
        /// bytes).
        private func ownWrittenWords(keeping keep: (UnsafeBufferPointer<UInt8>) -> Bool = { _ in true }) -> StringList {
            var bytes: [UInt8] = []
            var offsets: [UInt32] = [0]
            for number in wordFacts.indices where wordFacts[number].isWritten {
                words.withBytes(number) { word in
                    guard keep(word) else { return }
                    bytes.append(contentsOf: word)
                    offsets.append(UInt32(bytes.count))
                }
            }
            return StringList(utf8: Flat(bytes), offsets: Flat(offsets))
        }

        /// Words with the lexicon's variants replaced by their canonical words (`Analyzer.canonicalWords`), by
        /// number. Only a word a variant starts with is looked at as a string.
        private mutating func canonical(_ numbers: [Int32]) -> [Int32] {
            guard numbers.contains(where: { wordFacts[Int($0)].startsVariant }) else { return numbers }
            var result: [Int32] = []
            var index = 0
            while index < numbers.count {
                if let phrase = variant(in: numbers, at: index) {
                    for word in phrase.canonical { result.append(self.word(word, written: false)) }
                    index += phrase.rest.count + 1
                } else {
                    result.append(numbers[index])
                    index += 1
                }
            }
            return result
        }

        /// `word(_:written:)` for a string.
        private mutating func word(_ string: String, written: Bool) -> Int32 {
            var string = string
            return string.withUTF8 { word($0, written: written) }
        }

        /// Notes that a title or example question with these words (canonical, by number) belongs to `document`:
        /// its key is its terms (the stems of the words the lexicon does not ignore), by their numbers
        /// (`Matcher.exampleKey`), made in scratch bytes.
        private mutating func addExample(_ numbers: [Int32], _ document: Int) {
            var key = pairKey
            var stems = exampleStems
            (pairKey, exampleStems) = ([], [])
            stems.removeAll(keepingCapacity: true)
            for word in numbers where !wordFacts[Int(word)].isIgnored { stems.append(wordFacts[Int(word)].stem) }
            key.removeAll(keepingCapacity: true)
            Matcher.exampleKey(&stems, into: &key)
            key.withUnsafeBufferPointer { exampleKeys.add($0, topic: document) }
            (pairKey, exampleStems) = (key, stems)
        }

        /// Counts the terms of a title or the example questions (their canonical words, by number: the stems of
        /// those the lexicon does not ignore, then the pairs of each list's stems); returns their weighted count.
        private mutating func field(words: [Int32], pairs: [[Int32]], field: Int) -> Double {
            let units = Matcher.weightUnits[field]
            var wordCount = 0
            for word in words where !wordFacts[Int(word)].isIgnored {
                let stem = wordFacts[Int(word)].stem
                count(terms.single(stem), units)
                uses[Int(stem)] += 1
                asked[Int(stem)] = true
                wordCount += 1
            }
            var pairCount = 0
            for list in pairs where list.count > 1 {
                for index in 1..<list.count {
                    count(pairTerm(list[index - 1], list[index]), units / 2)
                    pairCount += 1
                }
            }
            return Matcher.weights[field] * (Double(wordCount) + Matcher.pairWeight * Double(pairCount))
        }

        /// The words of an answer's blocks as `TextNormalizer.words` reads their `plainText`, by number: each
        /// piece is read where it is, not joined into one string first (what joins them, "- ", "1. " and line
        /// breaks, splits words and holds none but the choices' numbers).
        private mutating func words(of blocks: [Block]) -> [Int32] {
            var numbers: [Int32] = []
            for block in blocks {
                switch block {
                case .heading(let text), .paragraph(let text): read(text, into: &numbers)
                case .bullets(let items): for item in items { read(item, into: &numbers) }
                case .choices(let items):
                    for (offset, item) in items.enumerated() {
                        read("\(offset + 1)", into: &numbers)
                        read(item, into: &numbers)
                    }
                }
            }
            return numbers
        }

        /// Appends the words of a piece of an answer's blocks to `numbers`. (A method given `numbers` inout, not a
        /// function nested in `words(of:)` that captures them: a captured variable is checked for exclusive access
        /// as the program runs, at each word.)
        private mutating func read(_ text: String, into numbers: inout [Int32]) {
            TextNormalizer.forEachWord(Markup.strip(text)) { numbers.append(word($0, written: true)) }
        }

        /// The longest lexicon variant that starts at `index` of `numbers` (words by number), as
        /// `Analyzer.variant(in:at:)` finds it in their strings.
        private mutating func variant(in numbers: [Int32], at index: Int) -> VariantPhrase? {
            let list = Int(wordFacts[Int(numbers[index])].variants)
            guard list >= 0 else { return nil }
            for place in variantLists[list].indices where index + variantLists[list][place].rest.count < numbers.count {
                var offset = 1
                while offset <= variantLists[list][place].rest.count
                    && isVariantWord(list, place, offset - 1, numbers[index + offset]) {
                    offset += 1
                }
                if offset > variantLists[list][place].rest.count { return variantLists[list][place] }
            }
            return nil
        }

        /// Whether word `word` (a number of `words`) is word `position` of `rest` of variant `place` of list `list`,
        /// as `String`s compare.
        @inline(__always)
        private mutating func isVariantWord(_ list: Int, _ place: Int, _ position: Int, _ word: Int32) -> Bool {
            let known = variantLists[list][place].restNumbers[position]
            if known == word { return true }
            // Two ASCII words are the same string only with the same bytes, so the same number.
            let isASCII = wordFacts[Int(word)].isASCII
            if known >= 0 && isASCII { return false }
            guard words.holds(Int(word), variantLists[list][place].rest[position]) else { return false }
            if isASCII && !variantLists[list][place].rest[position].contains(where: { $0 >= 0x80 }) {
                variantLists[list][place].restNumbers[position] = word
            }
            return true
        }

        /// Counts the terms of an answer text, as `Analyzer.terms` reads it; returns how many there are.
        private mutating func addText(_ text: [Block]) -> Int {
            let weight = Matcher.weightUnits[2]
            let numbers = words(of: text)
            var terms = 0
            var index = 0
            while index < numbers.count {
                let word = numbers[index]
                let info = wordFacts[Int(word)]
                if !info.startsVariant {
                    if !info.isIgnored {
                        countStem(info.stem, weight)
                        terms += 1
                    }
                    index += 1
                    continue
                }
                // A lexicon variant may start here ("cold turkey"): its canonical words count instead.
                if let phrase = variant(in: numbers, at: index) {
                    for case let canonical? in phrase.canonicalStems {
                        countStem(stem(canonical), weight)
                        terms += 1
                    }
                    index += phrase.rest.count + 1
                    continue
                }
                if !info.isIgnored {
                    countStem(info.stem, weight)
                    terms += 1
                }
                index += 1
            }
            return terms
        }

        /// Counts the term of stem `stem` (of an answer text).
        private mutating func countStem(_ stem: Int32, _ weight: UInt32) {
            count(terms.single(stem), weight)
            uses[Int(stem)] += 1
        }

        private mutating func count(_ id: Int32, _ weight: UInt32) {
            if weights.add(id, weight) { touched.append(id) }
        }
    }
}

extension Matcher {
    /// The words the topics write (`IndexBuilder.writtenWords`), as a list of strings in one block for each builder
    /// that read them: held while the matcher's tables are made, a set of their strings took three times the
    /// memory (of 10,000 topics, 4 MiB), and a set is made once, by the one who needs it.
    package struct WrittenWords: Sendable {
        let lists: [StringList]

        /// The words as a set. A word is in one list only (a merged builder's list holds only the words new to
        /// the builder it was merged into), so the set is made for the sum of the lists' lengths.
        package var set: Set<String> {
            var words: Set<String> = []
            words.reserveCapacity(lists.reduce(0) { $0 + $1.count })
            for list in lists {
                for number in 0..<list.count { words.insert(list[number]) }
            }
            return words
        }
    }
}

extension Matcher {
    /// The matcher's index built while the loader reads the topics (`TopicIndexing`): a builder for each part of
    /// them, merged when the load is done, so that the first start of a big bundle never holds every topic's text.
    package final class Indexing: TopicIndexing, @unchecked Sendable {
        // Each part's builder is used only by the thread that reads that part, and by `allRead` and `matcher` only
        // after the loader has joined that thread (through `Deferred`'s lock, so its writes come before).
        private var first: IndexBuilder?
        private var second: IndexBuilder?
        /// The builders' analyzer and the lexicon it was made of, set once for both by whichever thread comes first
        /// (under `monitor`'s lock): they are only read.
        private var analyzer: Analyzer?
        private var lexicon: Lexicon?
        private let monitor = Monitor()
        /// The matcher, made on a thread of its own from the merged builder as soon as every topic is read (its
        /// spelling table while the loader checks the bundle across files), and the words its topics use, as
        /// written, handed over while it is made (`Matcher.init(builder:lexicon:words:beforeTables:)`).
        private var building: Deferred<Matcher>?
        private let written = Handoff<WrittenWords>()
        /// Given when the loader is done: the matcher's big tables are made only then, not on top of what the
        /// loader holds while it checks the bundle (of 10,000 topics, the first start's peak came then).
        private let loaded = Handoff<Bool>()

        package init() {}

        private func sharedAnalyzer(_ lexicon: Lexicon) -> Analyzer {
            monitor.lock()
            defer { monitor.unlock() }
            if let analyzer { return analyzer }
            let made = Analyzer(lexicon: lexicon)
            (analyzer, self.lexicon) = (made, lexicon)
            return made
        }

        package func read(_ topic: Topic, part: Int, lexicon: Lexicon) {
            if part == 0 {
                if first == nil { first = IndexBuilder(analyzer: sharedAnalyzer(lexicon)) }
                first!.add(topic)
            } else {
                if second == nil { second = IndexBuilder(analyzer: sharedAnalyzer(lexicon)) }
                second!.add(topic)
            }
        }

        /// Merges the second part's builder into the first's, gives what they let go of back to the system, and
        /// starts making the matcher of the merged builder on a thread of its own.
        package func allRead() {
            guard building == nil else { return }
            if var builder = first, let other = second {
                (first, second) = (nil, nil)
                builder.merge(other)
                first = builder
                Matcher.releaseFreedMemory()
            }
            guard let lexicon, let builder = first else { return }
            first = nil
            // Handed over for the thread to take: no copy of its tables is held while each is let go of.
            let handed = Handoff<IndexBuilder>()
            handed.give(builder)
            let (written, loaded) = (self.written, self.loaded)
            let building = Deferred(later: {
                var builder = handed.take()
                return Matcher(builder: &builder, lexicon: lexicon, words: { written.give($0) },
                               beforeTables: {
                    _ = loaded.take()
                    // What the loader let go of goes back to the system before the big tables are made.
                    Matcher.releaseFreedMemory()
                })
            })
            building.start()
            self.building = building
        }

        /// The matcher of the topics read, made once (the builders are let go of, merged first unless `allRead`
        /// merged them); nil when they are not the topics `ids` names, in that order. `words` gets every word the
        /// topics use, as written, before the postings are made (`Matcher.init(builder:lexicon:words:)`).
        package func matcher(ids: [String], lexicon: Lexicon, words: (WrittenWords) -> Void) -> Matcher? {
            allRead()
            guard let building else {
                // No topic was read.
                var builder = IndexBuilder(analyzer: Analyzer(lexicon: lexicon))
                guard ids.isEmpty else { return nil }
                return Matcher(builder: &builder, lexicon: lexicon, words: words)
            }
            self.building = nil
            loaded.give(true)
            words(written.take())
            let matcher = building.value
            return matcher.documentIDs == ids ? matcher : nil
        }
    }
}

extension Matcher {
    /// Has glibc map each block of 128 KiB or more on its own, from now on: a freed block then goes back to the
    /// system at once, and the room an array keeps to grow takes no memory until it is used. Otherwise glibc
    /// raises that size as big blocks are freed (up to 32 MiB), and the big tables that a first start makes and
    /// lets go of while it builds the index stay in the process's memory. For the first start, before it loads.
    package static func mapLargeBlocks() {
        #if canImport(Glibc)
        // mallopt is not part of the Glibc module either. M_MMAP_THRESHOLD is -3.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-3, 128 * 1024)
        #endif
    }

    /// Gives the memory freed so far back to the system. The loader's threads and the second builder allocate in
    /// arenas of their own (glibc keeps one for each thread), and what they free stays there, counted in the
    /// process's memory, unless it is given back: the index that is made next would come on top of it.
    static func releaseFreedMemory() {
        #if canImport(Glibc)
        // malloc.h is not part of the Glibc module: glibc's malloc_trim is found by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }
}
