import ArgumentParser
import GuideContent
import GuideTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Options every subcommand takes, before or after its name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Use the content bundle in this folder.", valueName: "dir"))
    var content: String?

    @Option(name: .long, help: ArgumentHelp("The language of the content bundle.", valueName: "en|es"))
    var lang: String = "en"

    @Option(name: .long, help: ArgumentHelp("Add a clinic's own resources from this folder (its resources.txt), shown first.", valueName: "dir"))
    var local: String?

    var root: String { GuideApp.contentRoot(option: content) }
    /// `--local`, or the default folder when it exists.
    var localRoot: String? { GuideApp.localRoot(option: local) }
}

struct KlonopinGuide: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klonopin-guide",
        abstract: "An offline guide to coming off Klonopin (clonazepam). Education, not medical advice.",
        discussion: "In an emergency call 911. For thoughts of suicide call or text 988.",
        version: "klonopin-guide 0.1.0",
        subcommands: [Chat.self, Present.self, Ask.self, Topics.self, Check.self],
        defaultSubcommand: Chat.self)
}

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Talk with the guide at a prompt (the default).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Keep a history of what you type between visits (a private file you can erase with 'forget').")
    var history = false

    @Option(name: .long, help: ArgumentHelp("Write everything shown and typed to this file (mode 0600).", valueName: "file"))
    var transcript: String?

    func run() throws {
        throw ExitCode(try GuideApp.chat(root: global.root, language: global.lang, keepHistory: history,
                                         local: global.localRoot, transcript: transcript))
    }

    /// `chat` with every option at its default (`--content` unset, `--lang en`, no `--history`): what
    /// `klonopin-guide` with no arguments runs, started without parsing anything.
    static func runWithDefaults() throws {
        throw ExitCode(try GuideApp.chat(root: GuideApp.contentRoot(option: nil), language: "en", keepHistory: false,
                                         local: GuideApp.localRoot(option: nil)))
    }
}

/// `session`: the education session, for a presenter (`Session` is the terminal loop's name).
struct Present: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Run an education session: steps, a quiz before and after, notes and a handout. For presenters.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Write everything shown and typed to this file (mode 0600); 'reset' closes it.", valueName: "file"))
    var transcript: String?

    func run() throws {
        throw ExitCode(try GuideApp.session(root: global.root, language: global.lang, local: global.localRoot,
                                            transcript: transcript))
    }
}

struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer one question and exit; with no question, answer each line of standard input.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Write one JSON object a question.")
    var json = false

    @Argument(help: "The question.")
    var question: [String] = []

    func run() throws {
        let guide = try GuideApp.loadGuide(root: global.root, language: global.lang, local: global.localRoot)
        let output = StandardOutput()
        GuideApp.ask(guide: guide, question: question.isEmpty ? nil : question.joined(separator: " "), json: json,
                     output: output)
    }
}

struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "List every topic.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Write a JSON array.")
    var json = false

    func run() throws {
        let guide = try GuideApp.loadGuide(root: global.root, language: global.lang)
        GuideApp.topics(guide: guide, json: json, output: StandardOutput())
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a content bundle and print every problem as file:line:column.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The content folder.", valueName: "dir"))
    var directory: String?

    func run() throws {
        // Only an overlay asked for is checked (`--local`), not the default folder.
        let status = try GuideApp.check(root: directory ?? global.root, language: global.lang, local: global.local,
                                        output: StandardOutput())
        throw ExitCode(status)
    }
}

/// Moves global options written before a subcommand's name to after it, so that
/// `klonopin-guide --content DIR ask "…"` and `klonopin-guide ask --content DIR "…"` mean the same.
func argumentsWithGlobalOptionsAfterSubcommand(_ arguments: [String]) -> [String] {
    let subcommands = Set(KlonopinGuide.configuration.subcommands.map { $0._commandName })
    let takesValue: Set<String> = ["--content", "--lang", "--local"]
    var globals: [String] = []
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if subcommands.contains(argument) {
            return [argument] + globals + arguments[(index + 1)...]
        }
        if takesValue.contains(argument) && index + 1 < arguments.count {
            globals += [argument, arguments[index + 1]]
            index += 2
        } else if takesValue.contains(where: { argument.hasPrefix($0 + "=") }) {
            globals.append(argument)
            index += 1
        } else {
            return arguments
        }
    }
    return arguments
}

// Bad usage exits 1 (not ArgumentParser's 64), help and version exit 0, content failures print one message.
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty {
        // Nothing to parse: the default subcommand with its defaults, without ArgumentParser's start-up work.
        try Chat.runWithDefaults()
    } else {
        var command = try KlonopinGuide.parseAsRoot(argumentsWithGlobalOptionsAfterSubcommand(arguments))
        try command.run()
    }
} catch let failure as GuideApp.Failure {
    StandardOutput(descriptor: 2).write(failure.description + "\n")
    exit(1)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = KlonopinGuide.exitCode(for: error)
    if status == .success {
        print(KlonopinGuide.fullMessage(for: error))
        exit(0)
    }
    StandardOutput(descriptor: 2).write(KlonopinGuide.fullMessage(for: error) + "\n")
    exit(1)
}
