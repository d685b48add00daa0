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
}
