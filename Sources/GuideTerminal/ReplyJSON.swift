import GuideContent
import GuideCore

/// The JSON of `ask --json` and `topics --json`, written by hand so the key order is fixed and the output
/// has no escape sequences.
public enum ReplyJSON {
    public static func encode(_ reply: Reply) -> String {
        var fields: [(String, String)] = [
            ("kind", string(reply.kind.rawValue)),
            ("id", reply.id.map(string) ?? "null"),
            ("title", reply.title.map(string) ?? "null"),
            ("text", string(reply.text)),
            ("sources", array(reply.sources.map(string))),
            ("candidates", array(reply.candidates.map(string))),
        ]
        if let why = reply.explanation {
            let top = why.top.map { "{\"id\":\(string($0.id)),\"score\":\(number($0.score))}" }
            let synonyms = why.synonyms.map { "{\"written\":\(string($0.written)),\"read\":\(string($0.canonical))}" }
            let corrections = why.corrections.map {
                "{\"written\":\(string($0.written)),\"read\":\(string($0.canonical))}"
            }
            fields.append(("why", object([
                ("terms", array(why.terms.map(string))),
                ("matched", array(why.matched.map(string))),
                ("synonyms", array(synonyms)),
                ("corrections", array(corrections)),
                ("top", array(top)),
                ("phrases", array(why.phrases.map(string))),
                ("context", why.context.map(string) ?? "null"),
                ("reason", reason(why.reason)),
            ])))
        }
        if let key = reply.smallTalk {
            fields.append(("why", object([("small-talk", string(key))])))
        }
        if let finding = reply.finding {
            let corrections = finding.corrections.map {
                "{\"written\":\(string($0.written)),\"read\":\(string($0.canonical))}"
            }
            fields.append(("why", object([
                ("safety", string(finding.category)),
                ("trigger", string(finding.trigger)),
                ("corrections", array(corrections)),
            ])))
        }
        return object(fields)
    }

    /// The rule that decided, as `{"rule": name}` with its number when it has one.
    static func reason(_ reason: Matcher.Reason) -> String {
        switch reason {
        case .exampleQuestion: return object([("rule", string("example-question"))])
        case .ahead(let ratio):
            return object([("rule", string("ahead")), ("ratio", ratio.isFinite ? number(ratio) : "null")])
        case .close: return object([("rule", string("close"))])
        case .followUpOrOwn: return object([("rule", string("follow-up-or-own"))])
        case .vagueFollowUp: return object([("rule", string("vague-follow-up"))])
        case .littleMatched(let share): return object([("rule", string("little-matched")), ("coverage", number(share))])
        case .nothingKnown: return object([("rule", string("nothing-known"))])
        case .onlyCommonWords: return object([("rule", string("only-common-words"))])
        case .namesOther(let word): return object([("rule", string("names-other")), ("word", string(word))])
        }
    }

    public static func topics(_ topics: [Topic]) -> String {
        array(topics.map { topic in
            object([
                ("id", string(topic.id)),
                ("title", string(topic.title)),
                ("sources", array(topic.sources.map(string))),
                ("reviewed", string(topic.reviewed.description)),
                ("text", string(topic.body.plainText)),
            ])
        })
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    static func number(_ value: Double) -> String {
        // A ratio can be far beyond what an Int holds (the second topic scored next to nothing): written in
        // exponent form rather than trapping. JSON has no infinity; callers write null for it.
        guard abs(value) < 1e15 else { return value.isFinite ? "\(value)" : "null" }
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// A JSON string literal; control characters are escaped, so no raw escape byte can reach the output.
    /// Works on the UTF-8 bytes: every byte of a multi-byte character is 0x80 or above and passes as it is.
    public static func string(_ text: String) -> String {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            // Most strings (ids, words) need no escape: copied whole.
            guard bytes.contains(where: needsEscape) else { return "\"" + text + "\"" }
            // At most six bytes for each byte ("\u001b"), and the two quotes.
            return String(unsafeUninitializedCapacity: bytes.count * 6 + 2) { output in
                var count = 0
                func put(_ byte: UInt8) {
                    output[count] = byte
                    count += 1
                }
                put(UInt8(ascii: "\""))
                for byte in bytes {
                    guard needsEscape(byte) else {
                        put(byte)
                        continue
                    }
                    put(UInt8(ascii: "\\"))
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(byte)
                    case UInt8(ascii: "\n"): put(UInt8(ascii: "n"))
                    case UInt8(ascii: "\r"): put(UInt8(ascii: "r"))
                    case UInt8(ascii: "\t"): put(UInt8(ascii: "t"))
                    default:
                        for character in "u00".utf8 { put(character) }
                        put(hexDigits[Int(byte >> 4)])
                        put(hexDigits[Int(byte & 0xF)])
                    }
                }
                put(UInt8(ascii: "\""))
                return count
            }
        }
    }

    /// Quotes, backslashes and control characters (DEL too).
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
}
