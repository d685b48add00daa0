/// Lower-cases text, folds accents, drops apostrophes and splits it into words.
public enum TextNormalizer {
    /// The words of `text`: letters and digits, lower-cased, accents folded, apostrophes dropped
    /// ("don't" → "dont"), a decimal point kept inside a number ("0.5").
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if let folded = fold(scalar) {
                current.append(contentsOf: folded)
            } else if isApostrophe(scalar) {
                // "don't" → "dont": an apostrophe joins the letters around it.
            } else if scalar == ".", let last = current.last, isDigit(last), index + 1 < scalars.count,
                isDigit(scalars[index + 1])
            {
                current.append(scalar)
            } else if scalar == ".", current.isEmpty, index + 1 < scalars.count, isDigit(scalars[index + 1]) {
                current.append("0")
                current.append(scalar)
            } else {
                flush()
            }
            index += 1
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

    /// The lower-case, accent-free form of a letter or digit; nil for anything else.
    static func fold(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView? {
        let value = scalar.value
        if value < 128 {
            if value >= 65 && value <= 90 { return String.UnicodeScalarView([Unicode.Scalar(value + 32)!]) }
            if (value >= 97 && value <= 122) || (value >= 48 && value <= 57) { return String.UnicodeScalarView([scalar]) }
            return nil
        }
        if let base = accentFolds[value] { return base.unicodeScalars }
        guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return nil }
        return String(scalar).lowercased().unicodeScalars
    }

    /// Latin letters with accents, folded to their base letters.
    static let accentFolds: [UInt32: String] = {
        let table: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("ÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċč", "c"), ("ÇĆĈĊČ", "c"), ("ďđ", "d"), ("ĎĐ", "d"),
            ("èéêëēĕėęě", "e"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ĝğġģ", "g"), ("ĜĞĠĢ", "g"), ("ĥħ", "h"), ("ĤĦ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ÌÍÎÏĨĪĬĮİ", "i"), ("ĵ", "j"), ("Ĵ", "j"), ("ķ", "k"), ("Ķ", "k"),
            ("ĺļľŀł", "l"), ("ĹĻĽĿŁ", "l"), ("ñńņňŉ", "n"), ("ÑŃŅŇ", "n"), ("òóôõöøōŏő", "o"),
            ("ÒÓÔÕÖØŌŎŐ", "o"), ("ŕŗř", "r"), ("ŔŖŘ", "r"), ("śŝşš", "s"), ("ŚŜŞŠ", "s"), ("ţťŧ", "t"),
            ("ŢŤŦ", "t"), ("ùúûüũūŭůűų", "u"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"), ("ŵ", "w"), ("Ŵ", "w"), ("ýÿŷ", "y"),
            ("ÝŸŶ", "y"), ("źżž", "z"), ("ŹŻŽ", "z"), ("ß", "ss"), ("æÆ", "ae"), ("œŒ", "oe"),
        ]
        var folds: [UInt32: String] = [:]
        for (letters, base) in table { for scalar in letters.unicodeScalars { folds[scalar.value] = base } }
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
