import Foundation
import GuideContent
import GuideCore
@testable import GuideTerminal
import Testing

/// The handouts of a whole session, in the three formats, against golden files in `Handouts/` (re-record with
/// `RECORD_TRANSCRIPTS=1`); and how the person's own words are kept from being read as markup.
@Suite("Handouts")
struct HandoutGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Handouts")
    static let names = ["handout.html", "handout.md", "handout.txt"]

    @Test("The whole session writes its three handouts exactly as the golden files, each with mode 0600")
    func goldens() throws {
        let script = try String(contentsOf: SessionTranscriptTests.folder.appendingPathComponent("whole-session.txt"),
                                encoding: .utf8)
        let directory = try SessionTranscriptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = SessionTranscriptTests.play(TranscriptTests.inputs(of: script), in: directory)
        for name in Self.names {
            let written = directory.appendingPathComponent(name)
            let actual = try String(contentsOf: written, encoding: .utf8)
            let golden = Self.folder.appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["RECORD_TRANSCRIPTS"] == "1" {
                try actual.write(to: golden, atomically: true, encoding: .utf8)
            }
            #expect(actual == (try String(contentsOf: golden, encoding: .utf8)), "\(name): re-record with RECORD_TRANSCRIPTS=1 if deliberate")
            let mode = try FileManager.default.attributesOfItem(atPath: written.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
        // Nothing else is left in the folder (no temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == Self.names)
    }

    static let handout = Handout(language: "en", title: "A & B", parts: [
        .content([.heading("Heading"), .paragraph("Some **bold** <text>."), .bullets(["one", "**two**"])]),
        .ownWords(["<script>alert(1)</script> & **not bold** # [link](x) \\ _u_ 1. `c`"]),
    ])

    @Test("Markdown: the guide's emphasis stays markup, the person's words are escaped")
    func markdown() {
        #expect(HandoutRenderer.render(Self.handout, as: .markdown) == """
            # A \\& B

            ## Heading

            Some **bold** <text>.

            - one
            - **two**

            - \\<script\\>alert\\(1\\)\\</script\\> \\& \\*\\*not bold\\*\\* \\# \\[link\\]\\(x\\) \\\\ \\_u\\_ 1\\. \\`c\\`

            """)
    }

    @Test("HTML: everything escaped, the guide's emphasis as <strong>, the person's words never")
    func html() {
        let page = HandoutRenderer.render(Self.handout, as: .html)
        let body = page[page.range(of: "<body>")!.lowerBound...]
        #expect(body == """
            <body>
            <h1>A &amp; B</h1>
            <h2>Heading</h2>
            <p>Some <strong>bold</strong> &lt;text&gt;.</p>
            <ul>
            <li>one</li>
            <li><strong>two</strong></li>
            </ul>
            <ul class="own-words">
            <li>&lt;script&gt;alert(1)&lt;/script&gt; &amp; **not bold** # [link](x) \\ _u_ 1. `c`</li>
            </ul>
            </body>
            </html>

            """)
        // One file: no scripts, no links to fonts, images or style sheets anywhere else.
        for outside in ["<script", "<link", "src=", "url(", "@import", "http"] {
            #expect(!page.contains(outside), "\(outside)")
        }
        #expect(page.contains("@media print"))
    }

    @Test("Plain text: headings underlined, the person's words as typed, wrapped at 72 columns")
    func plainText() {
        let long = Handout(language: "en", title: "T", parts: [.ownWords([String(repeating: "word ", count: 20) + "**x**"])])
        #expect(HandoutRenderer.render(long, as: .plainText) == """
            T
            =

              - word word word word word word word word word word word word word
                word word word word word word word **x**

            """)
        #expect(HandoutRenderer.render(Self.handout, as: .plainText).hasPrefix("A & B\n=====\n\nHeading\n-------\n\nSome bold <text>.\n"))
    }

    @Test("The format comes from the file name's extension")
    func formats() {
        #expect(Handout.Format(path: "a.HTML") == .html)
        #expect(Handout.Format(path: "x/y.htm") == .html)
        #expect(Handout.Format(path: "notes.md") == .markdown)
        #expect(Handout.Format(path: "notes.txt") == .plainText)
        #expect(Handout.Format(path: "notes.pdf") == nil)
        #expect(Handout.Format(path: "notes") == nil)
        #expect(Handout.Format(path: "my.dir/notes") == nil)
    }
}
