import GuideContent
import GuideCore

/// Where the session writes what it shows.
public protocol TextOutput: AnyObject {
    func write(_ text: String)
}

/// The only loop: reads a line, runs the conversation's pure `reduce`, performs the effects.
public final class Session {
    let conversation: Conversation
    let reader: LineReader
    let output: TextOutput
    /// Made fresh for every reply, so a window resize is respected.
    let makeRenderer: () -> Renderer
    /// The first event: `started` for the guide, `sessionStarted` for an education session.
    let start: Conversation.Event
    /// Where a relative handout path starts (nil: the current folder).
    let directory: String?
    /// The transcript being written, if one was asked for.
    let transcript: TranscriptFile?

    /// - Parameters:
    ///   - start: the first event (`.sessionStarted` for `klonopin-guide session`).
    ///   - directory: where relative file names (`handout visit.html`) are written; the current folder when nil.
    ///   - transcript: a transcript to write everything shown and typed to, until `reset`.
    public init(conversation: Conversation, reader: LineReader, output: TextOutput,
                start: Conversation.Event = .started, directory: String? = nil, transcript: TranscriptFile? = nil,
                renderer: @escaping () -> Renderer) {
        self.conversation = conversation
        self.reader = transcript.map { TranscriptLineReader(reader, $0) } ?? reader
        self.output = transcript.map { TranscriptOutput(output, $0) } ?? output
        self.makeRenderer = renderer
        self.start = start
        self.directory = directory
        self.transcript = transcript
    }

    /// Runs until the person quits or input ends; returns the exit status.
    public func run() -> Int32 {
        // Asked for at the first Tab: the bundle may still be being read when the welcome is shown.
        reader.setCompletions { [conversation, start] in
            conversation.completions + (start == .sessionStarted ? CourseWord.words : [])
        }
        var state = Conversation.State()
        if let transcript, let status = step(&state, .transcriptStarted(path: transcript.path)) { return status }
        // The welcome is made from the bundle alone: it is shown before the crisis screen and the matcher are
        // built (`Guide(bundle:indexing: .later)`), which then starts on a thread of its own while the person reads.
        if let status = step(&state, start) { return status }
        conversation.guide.startIndexing()
        while true {
            let event: Conversation.Event
            switch reader.readLine(prompt: conversation.prompt(state) + " ") {
            case .line(let text): event = .lineEntered(text)
            case .interrupted: event = .interrupted
            case .endOfInput: event = .endOfInput
            }
            // Every line goes through the crisis screen first: wait until it is built (at once after the first).
            // A bundle that could not be loaded after all (it changed since it was checked) stops the session
            // before any line is answered; the caller says why.
            guard conversation.guide.waitUntilReady() else { return 1 }
            if let status = step(&state, event) { return status }
        }
    }

    /// One transition; returns an exit status when the conversation ends.
    func step(_ state: inout Conversation.State, _ event: Conversation.Event) -> Int32? {
        let (next, effects) = conversation.reduce(state, event)
        state = next
        var status: Int32?
        for effect in effects {
            switch effect {
            case .say(let blocks):
                output.write(makeRenderer().render(blocks) + "\n")
            case .forgetHistory:
                // The outcome goes back to the conversation, which says whether the history is gone.
                let erased = (try? reader.forgetHistory()) != nil
                if let code = step(&state, .historyForgotten(erased: erased)) { status = code }
            case .exit(let code):
                status = code
            case .writeHandout(let handout, let path, let format):
                // The outcome goes back to the conversation, which says where the file is or why it is not.
                let event: Conversation.Event
                switch PrivateFile.write(HandoutRenderer.render(handout, as: format), to: path, directory: directory) {
                case .success(let full): event = .handoutWritten(path: full)
                case .failure(let failure): event = .handoutFailed(path: path, reason: failure.reason)
                }
                if let code = step(&state, event) { status = code }
            case .reset:
                // Nothing of the last person stays: not the lines to recall with Up, not the transcript.
                try? reader.forgetHistory()
                transcript?.close()
            }
        }
        return status
    }
}
