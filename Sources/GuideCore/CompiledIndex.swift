import GuideContent

/// What a guide reads from its topics before it can answer, in one block of bytes a later start can map from a
/// file instead of reading every topic: each topic's id and title, the words the crisis screen never repairs,
/// and the matcher's tables (`ImageWriter` layout). It is made after a clean load and is only ever used with the
/// bundle it was made from: `key` names that bundle (the guide's terminal side uses a digest of the bundle's
/// stamp), and a reader expecting another key, or another `version` of the layout, refuses it.
public struct CompiledIndex: @unchecked Sendable {
    /// The layout of the sections; a change to what is written, or in what order, needs a new number.
    public static let version: UInt64 = 3

    /// The topics' ids, sorted, and their titles: a lazy `TopicShelf`.
    public let topicIDs: [String]
    public let topicTitles: [String]
    /// Positioned after the topics.
    private let reader: ImageReader

    /// The index in `bytes`; nil when it is not an index of this version and key, or its topics do not read.
    public init?(_ bytes: ImageBytes, key: UInt64) {
        guard var reader = ImageReader(bytes, version: CompiledIndex.version, key: key),
              let ids = reader.list(), let titles = reader.list(), titles.count == ids.count else { return nil }
        topicIDs = ids.strings
        topicTitles = titles.strings
        // Sorted, each once, and each a topic id (a file name under topics/, never a path elsewhere).
        guard zip(topicIDs, topicIDs.dropFirst()).allSatisfy({ $0 < $1 }),
              topicIDs.allSatisfy({ id in !id.isEmpty && id.utf8.allSatisfy(CompiledIndex.isIDByte) })
        else { return nil }
        self.reader = reader
    }

    /// The known words and the matcher; nil when a table is damaged.
    func indexes(lexicon: Lexicon) -> (StringTable, Matcher)? {
        var reader = reader
        guard let known = reader.table(), let matcher = Matcher(reader: &reader, lexicon: lexicon), reader.isAtEnd,
              matcher.topicIDs == topicIDs else { return nil }
        return (known, matcher)
    }

    /// The image of a guide's indexes, for `key` (written with `ImageWriter.write`, or read as `bytes`).
    static func image(shelf: TopicShelf, known: StringTable, matcher: Matcher, key: UInt64) -> ImageWriter {
        var writer = ImageWriter(version: version, key: key)
        writer.add(StringList(shelf.ids))
        writer.add(StringList(shelf.titles))
        writer.add(known)
        matcher.write(to: &writer)
        return writer
    }

    /// The bytes of a topic id: lower-case letters, digits and dashes.
    static func isIDByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45
    }

    /// A digest of `text` (FNV-1a, the same in every process): the key of the bundle a stamp describes.
    public static func key(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { StringTable.hash($0) }
    }
}
