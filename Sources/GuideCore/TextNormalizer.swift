/// Lower-cases text, folds accents, drops apostrophes, shortens drawn-out letters and splits it into words.
public enum TextNormalizer {
    /// The words of `text`: letters and digits, lower-cased, accents folded, apostrophes dropped
    /// ("don't" → "dont"), a decimal point kept inside a number ("0.5").
    public static func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { words(utf8: $0) }
    }

    /// `words(_:)` over the UTF-8 bytes of valid text: ASCII is handled a byte at a time, other scalars are
    /// decoded and folded.
    static func words(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var words: [String] = []
        forEachWord(utf8: bytes) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Each word of `words(_:)`, as its UTF-8 bytes (valid only during the call), in order: the index builder
    /// looks words up by their bytes and makes no `String` of them.
    static func forEachWord(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { forEachWord(utf8: $0, body) }
    }

    /// `forEachWord(_:_:)` over the UTF-8 bytes of valid text. A word that the text holds as it is (lower-case
    /// ASCII letters and digits, as most are) is handed over from the text's own bytes; only a word that changes
    /// (a capital, an apostrophe, a drawn-out letter, a letter beyond ASCII) is copied, from its first change on.
    static func forEachWord(utf8 bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var current: [UInt8] = []
        current.reserveCapacity(32)
        // The word so far is `bytes[runStart..<position]` while `runStart` is not -1 (`current` is then empty);
        // else it is `current`.
        var runStart = -1
        func flush(_ position: Int) {
            if runStart >= 0 {
                body(UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                runStart = -1
            } else if !current.isEmpty {
                current.withUnsafeBufferPointer(body)
                current.removeAll(keepingCapacity: true)
            }
        }
        // The word so far, copied into `current`: a byte of it is about to change.
        func copy(_ position: Int) {
            guard runStart >= 0 else { return }
            current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            runStart = -1
        }
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                let position = index
                index += 1
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if runStart >= 0 {
                        // A letter typed three or more times in a row counts twice: "soooo" → "soo", "sleeeep" →
                        // "sleep"; spelling tolerance does the rest.
                        guard byte > UInt8(ascii: "9"), position - runStart >= 2, bytes[position - 1] == byte,
                              bytes[position - 2] == byte else { continue }
                        copy(position)
                        break
                    }
                    if current.isEmpty {
                        runStart = position
                        continue
                    }
                    if byte > UInt8(ascii: "9") {
                        let count = current.count
                        if count >= 2 && current[count - 1] == byte && current[count - 2] == byte { break }
                    }
                    current.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    copy(position)
                    let letter = byte | 0x20
                    let count = current.count
                    if count >= 2 && current[count - 1] == letter && current[count - 2] == letter { break }
                    current.append(letter)
                case UInt8(ascii: "'"), UInt8(ascii: "`"):
                    // "don't" → "dont": an apostrophe joins the letters around it.
                    copy(position)
                case UInt8(ascii: ".") where index < count && isDigit(bytes[index]):
                    // A decimal point inside or before a number: "0.5", ".25" → "0.25".
                    if runStart >= 0 {
                        if isDigit(bytes[position - 1]) { continue }
                        flush(position)
                    } else if current.isEmpty {
                        current.append(UInt8(ascii: "0"))
                        current.append(byte)
                    } else if isDigit(current[current.count - 1]) {
                        current.append(byte)
                    } else {
                        flush(position)
                    }
                default:
                    flush(position)
                }
                continue
            }
            copy(index)
            let position = index
            let scalar = decodeScalar(bytes, at: &index)
            if let folded = foldedUTF8(scalar) {
                current.append(contentsOf: folded)
            } else if !isApostrophe(scalar) {
                flush(position)
            }
        }
        flush(count)
    }

    /// The scalar whose UTF-8 encoding starts at `index` (a lead byte of valid UTF-8); moves `index` past it.
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Unicode.Scalar {
        let lead = UInt32(bytes[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        index += length
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// Text with control characters and terminal escape sequences removed, tabs as spaces, trimmed.
    public static func sanitize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:
                // Skip an escape sequence: ESC [ … final byte, or ESC and one character.
                guard let next = scalars.next() else { break }
                if next == "[" || next == "]" {
                    while let byte = scalars.next() {
                        if next == "[" && (0x40...0x7E).contains(byte.value) { break }
                        if next == "]" && (byte.value == 0x07 || byte.value == 0x1B) { break }
                    }
                }
            case 0x09: result.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: continue
            case 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: continue
            default: result.append(scalar)
            }
        }
        return String(result).trimmedSpaces()
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "`"
    }

    /// The lower-case, accent-free form of a letter or digit beyond ASCII; nil for anything else.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        foldedUTF8(scalar).map { Array(String(decoding: $0, as: UTF8.self).unicodeScalars) }
    }

    /// `fold` as UTF-8 bytes.
    static func foldedUTF8(_ scalar: Unicode.Scalar) -> [UInt8]? {
        if let base = accentFolds[scalar.value] { return base }
        guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return nil }
        return Array(String(scalar).lowercased().utf8)
    }

    /// Latin letters with accents, folded to their base letters (as UTF-8).
    static let accentFolds: [UInt32: [UInt8]] = {
        let table: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("ÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċč", "c"), ("ÇĆĈĊČ", "c"), ("ďđ", "d"), ("ĎĐ", "d"),
            ("èéêëēĕėęě", "e"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ĝğġģ", "g"), ("ĜĞĠĢ", "g"), ("ĥħ", "h"), ("ĤĦ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ÌÍÎÏĨĪĬĮİ", "i"), ("ĵ", "j"), ("Ĵ", "j"), ("ķ", "k"), ("Ķ", "k"),
            ("ĺļľŀł", "l"), ("ĹĻĽĿŁ", "l"), ("ñńņňŉ", "n"), ("ÑŃŅŇ", "n"), ("òóôõöøōŏő", "o"),
            ("ÒÓÔÕÖØŌŎŐ", "o"), ("ŕŗř", "r"), ("ŔŖŘ", "r"), ("śŝşš", "s"), ("ŚŜŞŠ", "s"), ("ţťŧ", "t"),
            ("ŢŤŦ", "t"), ("ùúûüũūŭůűų", "u"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"), ("ŵ", "w"), ("Ŵ", "w"), ("ýÿŷ", "y"),
            ("ÝŸŶ", "y"), ("źżž", "z"), ("ŹŻŽ", "z"), ("ß", "ss"), ("æÆ", "ae"), ("œŒ", "oe"),
        ]
        var folds: [UInt32: [UInt8]] = [:]
        for (letters, base) in table {
            for scalar in letters.unicodeScalars { folds[scalar.value] = Array(base.utf8) }
        }
        return folds
    }()
}

extension String {
    /// The string without leading and trailing whitespace.
    func trimmedSpaces() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}

extension Array where Element == String {
    /// Whether `phrase` (a non-empty run of words) appears in these words, word for word.
    func containsPhrase(_ phrase: [String]) -> Bool {
        guard let first = phrase.first, phrase.count <= count else { return false }
        for start in 0...(count - phrase.count) where self[start] == first {
            if self[start..<start + phrase.count].elementsEqual(phrase) { return true }
        }
        return false
    }
}
