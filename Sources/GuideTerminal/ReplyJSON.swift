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
        return object(fields)
    }

    /// The rule that decided, as `{"rule": name}` with its number when it has one.
    static func reason(_ reason: Matcher.Reason) -> String {
        switch reason {
        case .exampleQuestion: return object([("rule", string("example-question"))])
        case .ahead(let ratio):
            return object([("rule", string("ahead")), ("ratio", ratio.isFinite ? number(ratio) : "null")])
        case .close: return object([("rule", string("close"))])
        case .littleMatched(let share): return object([("rule", string("little-matched")), ("coverage", number(share))])
        case .nothingKnown: return object([("rule", string("nothing-known"))])
        case .onlyCommonWords: return object([("rule", string("only-common-words"))])
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
        let thousandths = Int((value * 1000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// A JSON string literal; control characters are escaped, so no raw escape byte can reach the output.
    /// Works on the UTF-8 bytes: every byte of a multi-byte character is 0x80 or above and passes as it is.
    public static func string(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        bytes.append(UInt8(ascii: "\""))
        let hexDigits = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            let escaped: UInt8
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped = byte
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            case 0..<0x20, 0x7F:
                for character in "\\u00".utf8 { bytes.append(character) }
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
                continue
            default:
                bytes.append(byte)
                continue
            }
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(escaped)
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
