/// Lower-cases text, folds accents, drops apostrophes and splits it into words.
public enum TextNormalizer {
    /// The words of `text`: letters and digits, lower-cased, accents folded, apostrophes dropped
    /// ("don't" → "dont"), a decimal point kept inside a number ("0.5").
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [Unicode.Scalar] = []
        let scalars = Array(text.unicodeScalars)
        func flush() {
            guard !current.isEmpty else { return }
            var word = String()
            word.unicodeScalars.append(contentsOf: current)
            words.append(word)
            current.removeAll(keepingCapacity: true)
        }
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if value < 128 {
                if value >= 65 && value <= 90 {
                    current.append(Unicode.Scalar(value + 32)!)
                } else if (value >= 97 && value <= 122) || (value >= 48 && value <= 57) {
                    current.append(scalar)
                } else if isApostrophe(scalar) {
                    // "don't" → "dont": an apostrophe joins the letters around it.
                } else if scalar == ".", index + 1 < scalars.count, isDigit(scalars[index + 1]),
                    current.isEmpty || isDigit(current[current.count - 1])
                {
                    // A decimal point inside or before a number: "0.5", ".25" → "0.25".
                    if current.isEmpty { current.append("0") }
                    current.append(scalar)
                } else {
                    flush()
                }
            } else if let folded = fold(scalar) {
                current.append(contentsOf: folded)
            } else if isApostrophe(scalar) {
                continue
            } else {
                flush()
            }
        }
        flush()
        return words
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

    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "`"
    }

    /// The lower-case, accent-free form of a letter or digit beyond ASCII; nil for anything else.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        if let base = accentFolds[scalar.value] { return base }
        guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return nil }
        return Array(String(scalar).lowercased().unicodeScalars)
    }

    /// Latin letters with accents, folded to their base letters.
    static let accentFolds: [UInt32: [Unicode.Scalar]] = {
        let table: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("ÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċč", "c"), ("ÇĆĈĊČ", "c"), ("ďđ", "d"), ("ĎĐ", "d"),
            ("èéêëēĕėęě", "e"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ĝğġģ", "g"), ("ĜĞĠĢ", "g"), ("ĥħ", "h"), ("ĤĦ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ÌÍÎÏĨĪĬĮİ", "i"), ("ĵ", "j"), ("Ĵ", "j"), ("ķ", "k"), ("Ķ", "k"),
            ("ĺļľŀł", "l"), ("ĹĻĽĿŁ", "l"), ("ñńņňŉ", "n"), ("ÑŃŅŇ", "n"), ("òóôõöøōŏő", "o"),
            ("ÒÓÔÕÖØŌŎŐ", "o"), ("ŕŗř", "r"), ("ŔŖŘ", "r"), ("śŝşš", "s"), ("ŚŜŞŠ", "s"), ("ţťŧ", "t"),
            ("ŢŤŦ", "t"), ("ùúûüũūŭůűų", "u"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"), ("ŵ", "w"), ("Ŵ", "w"), ("ýÿŷ", "y"),
            ("ÝŸŶ", "y"), ("źżž", "z"), ("ŹŻŽ", "z"), ("ß", "ss"), ("æÆ", "ae"), ("œŒ", "oe"),
        ]
        var folds: [UInt32: [Unicode.Scalar]] = [:]
        for (letters, base) in table {
            for scalar in letters.unicodeScalars { folds[scalar.value] = Array(base.unicodeScalars) }
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
