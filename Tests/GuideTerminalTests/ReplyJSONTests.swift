@testable import GuideTerminal
import Testing

@Suite("JSON strings")
struct ReplyJSONTests {
    @Test("Quotes, backslashes and control characters are escaped; other text passes as it is")
    func escapes() {
        #expect(ReplyJSON.string("a\"b\\c\td\u{1}e\u{7F}f\r\ng é — 💊")
            == "\"a\\\"b\\\\c\\td\\u0001e\\u007ff\\r\\ng é — 💊\"")
        #expect(ReplyJSON.string("\u{1B}[31m") == "\"\\u001b[31m\"")
        #expect(ReplyJSON.string("") == "\"\"")
    }

    @Test("Numbers keep three decimals; a number too large for an Int is written in exponent form, never a trap")
    func numbers() {
        #expect(ReplyJSON.number(1.5) == "1.500")
        #expect(ReplyJSON.number(-0.25) == "-0.250")
        #expect(ReplyJSON.number(4897.6159) == "4897.616")
        #expect(ReplyJSON.number(1e300) == "1e+300")
        #expect(ReplyJSON.number(.infinity) == "null")
    }
}
