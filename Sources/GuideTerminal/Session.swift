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

    public init(conversation: Conversation, reader: LineReader, output: TextOutput,
                renderer: @escaping () -> Renderer) {
        self.conversation = conversation
        self.reader = reader
        self.output = output
        self.makeRenderer = renderer
    }

    /// Runs until the person quits or input ends; returns the exit status.
    public func run() -> Int32 {
        reader.setCompletions(conversation.completions)
        var state = Conversation.State()
        // The welcome is made from the bundle alone: it is shown before the crisis screen and the matcher are
        // built (`Guide(bundle:indexing: .later)`), which then starts on a thread of its own while the person reads.
        if let status = step(&state, .started) { return status }
        conversation.guide.startIndexing()
        while true {
            let event: Conversation.Event
            switch reader.readLine(prompt: conversation.prompt(state) + " ") {
            case .line(let text): event = .lineEntered(text)
            case .interrupted: event = .interrupted
            case .endOfInput: event = .endOfInput
            }
            // Every line goes through the crisis screen first: wait until it is built (at once after the first).
            conversation.guide.waitForIndexes()
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
            }
        }
        return status
    }
}
