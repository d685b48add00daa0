#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GuideContent
import GuideCore

/// The wiring behind each command of the executable, kept out of `main` so it can be tested.
public enum GuideApp {
    /// A failure to print in one line before exiting with status 1.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The content root to use: `--content`, then `KLONOPIN_GUIDE_CONTENT`, then the installed location beside
    /// the executable, then `./Content`.
    public static func contentRoot(option: String?) -> String {
        if let option { return option }
        if let value = getenv("KLONOPIN_GUIDE_CONTENT"), value.pointee != 0 { return String(cString: value) }
        if let executable = executablePath() {
            let installed = directory(of: directory(of: executable)) + "/share/klonopin-guide/Content"
            if isDirectory(installed) { return installed }
        }
        return "Content"
    }

    /// The folder of the clinic's own resources: `--local`, then `KLONOPIN_GUIDE_LOCAL`, then
    /// `$XDG_CONFIG_HOME/klonopin-guide/local` (usually `~/.config/klonopin-guide/local`) when that exists; nil
    /// when there is none.
    public static func localRoot(option: String?) -> String? {
        if let option { return option }
        if let value = getenv("KLONOPIN_GUIDE_LOCAL"), value.pointee != 0 { return String(cString: value) }
        let config = getenv("XDG_CONFIG_HOME").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? getenv("HOME").map { String(cString: $0) + "/.config" }
        guard let config else { return nil }
        let folder = config + "/klonopin-guide/local"
        return isDirectory(folder) ? folder : nil
    }

    /// Loads the bundle and builds the guide, or fails with the diagnostics (errors stop the guide; warnings
    /// are only printed by `check`).
    ///
    /// When this build loaded the bundle with no errors before and nothing in its folder changed since (its
    /// `BundleStamp` matches), the guide starts from the compiled index kept beside the stamp: the small files are
    /// read and checked, the topics are not (each is read from its file when it is shown), and the matcher's tables
    /// are mapped from the index. Otherwise the whole bundle is loaded, and a clean load leaves a stamp and a
    /// compiled index for the next start.
    public static func loadGuide(root: String, language: String, local: String? = nil) throws -> Guide {
        let directory = try resolve(root: root, language: language)
        if let (result, compiled, stamp) = loadCompiled(directory: directory), result.bundle != nil {
            let guide = Guide(bundle: try bundle(from: result, root: root, local: local), compiled: compiled)
            // An index that did not fit (damaged) is replaced, so that the next start can use one.
            if !guide.usesCompiledIndex {
                StampStore.record(index: guide.compiledIndex(key: CompiledIndex.key(stamp)), directory: directory)
            }
            return guide
        }
        // The topics are indexed as they are read, and not kept: each is read again from its file when shown.
        Matcher.mapLargeBlocks()
        let indexing = Matcher.Indexing()
        let (result, stamp) = loadAndStamp(directory: directory, indexing: indexing)
        let guide = Guide(bundle: try bundle(from: result, root: root, local: local), indexed: indexing)
        if let stamp { StampStore.record(index: guide.compiledIndex(key: CompiledIndex.key(stamp)), directory: directory) }
        return guide
    }

    /// The bundle in `directory` read with the topics of its compiled index, and the index: when the bundle's stamp
    /// matches and an index was made with that stamp; else nil.
    static func loadCompiled(directory: String) -> (LoadResult, CompiledIndex, stamp: String)? {
        guard let stamp = StampStore.currentStamp(directory: directory),
              let compiled = StampStore.compiledIndex(directory: directory, stamp: stamp) else { return nil }
        let shelf = TopicShelf(ids: compiled.topicIDs, titles: compiled.topicTitles, directory: directory)
        return (BundleLoader.load(directory: directory, shelf: shelf), compiled, stamp)
    }

    /// Loads and validates the bundle, and the clinic's own resources when `local` names their folder, or fails
    /// with the diagnostics: a bundle or an overlay with errors never runs.
    public static func loadBundle(root: String, language: String, local: String? = nil) throws -> ContentBundle {
        try bundle(from: BundleLoader.load(directory: try resolve(root: root, language: language)), root: root,
                   local: local)
    }

    /// The bundle of a load with the clinic's own resources added, or a failure listing the errors.
    static func bundle(from result: LoadResult, root: String, local: String?) throws -> ContentBundle {
        guard var bundle = result.bundle else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            throw Failure(
                errors.map(\.description).joined(separator: "\n")
                    + "\nklonopin-guide: the content bundle has \(errors.count) error(s); fix them, then run 'klonopin-guide check \(root)'")
        }
        if let local {
            guard isDirectory(local) else {
                throw Failure("klonopin-guide: cannot read the local resources folder '\(local)': it does not exist or is not a folder")
            }
            let overlay = BundleLoader.loadLocal(directory: local, bundle: bundle)
            guard let resources = overlay.resources else {
                let errors = overlay.diagnostics.filter { $0.severity == .error }
                throw Failure(
                    errors.map(\.description).joined(separator: "\n")
                        + "\nklonopin-guide: the local resources in '\(local)' have \(errors.count) error(s); fix them, then run 'klonopin-guide check --local \(local)'")
            }
            bundle.localResources = resources
        }
        return bundle
    }

    public static func resolve(root: String, language: String) throws -> String {
        guard isDirectory(root) else {
            throw Failure("klonopin-guide: cannot read the content folder '\(root)': it does not exist or is not a folder")
        }
        guard let directory = BundleLoader.resolve(root, language: language) else {
            throw Failure("klonopin-guide: no '\(language)' content bundle in '\(root)' (looked for \(root)/bundle.txt and \(root)/\(language)/bundle.txt)")
        }
        return directory
    }

    /// `check`: prints every diagnostic and a summary; returns the exit status. With `local`, the clinic's own
    /// resources are checked too, against the bundle.
    public static func check(root: String, language: String, local: String? = nil, output: TextOutput) throws -> Int32 {
        let directory = try resolve(root: root, language: language)
        let result = BundleLoader.load(directory: directory)
        var failed = report(result.diagnostics, for: directory, output: output)
        if let local {
            guard isDirectory(local) else {
                throw Failure("klonopin-guide: cannot read the local resources folder '\(local)': it does not exist or is not a folder")
            }
            guard let bundle = result.bundle else { return 1 }
            failed = report(BundleLoader.loadLocal(directory: local, bundle: bundle).diagnostics, for: local,
                            output: output) || failed
        }
        return failed ? 1 : 0
    }

    /// Prints diagnostics and their summary line; true when any is an error.
    static func report(_ diagnostics: [Diagnostic], for directory: String, output: TextOutput) -> Bool {
        for diagnostic in diagnostics { output.write(diagnostic.description + "\n") }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        output.write("\(directory): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n")
        return errors > 0
    }

    /// `chat`: loads and validates the bundle, and greets the person before the guide's crisis screen and
    /// matcher are built; the session builds them on a thread of their own and waits for them before the first
    /// line. A bundle with errors never runs.
    ///
    /// When this build loaded the bundle with no errors before and nothing in its folder changed since (its
    /// `BundleStamp` matches), the welcome is made from `ui.txt` alone and the rest of the bundle is read while the
    /// person reads it; should it fail to load after all, the session stops before answering any line. Otherwise
    /// the bundle is read and checked on a thread of its own while the terminal is set up, nothing is shown until
    /// both are done, and a clean load leaves a stamp for the next start.
    public static func chat(root: String, language: String, keepHistory: Bool, local: String? = nil,
                            transcript: String? = nil) throws -> Int32 {
        let directory = try resolve(root: root, language: language)
        if local == nil, let stamp = StampStore.currentStamp(directory: directory),
           let messages = BundleLoader.loadMessages(directory: directory) {
            // Not started here: the session's indexing thread reads it after the welcome, off the way to the prompt.
            // With a compiled index, the topics are not read (each is read when shown) and the matcher is mapped.
            let loading = Deferred(later: { () -> (result: LoadResult, compiled: CompiledIndex?) in
                if let (result, compiled, _) = loadCompiled(directory: directory), result.bundle != nil {
                    return (result, compiled)
                }
                return (BundleLoader.load(directory: directory), nil)
            })
            let file = try openTranscript(transcript)
            let (reader, editReader) = makeReader(keepHistory: keepHistory)
            let guide = Guide(messages: messages, loading: { loading.value.result.bundle },
                              compiled: { loading.value.compiled })
            let status = chat(guide: guide, reader: reader, editReader: editReader, start: .started, transcript: file)
            // The stamp matched, yet the bundle did not load: it changed in between. Say why, as a full load would.
            _ = try self.bundle(from: loading.value.result, root: root, local: nil)
            // A stamp with no compiled index beside it (or a damaged one): written now, for the next start.
            if guide.waitUntilReady(), loading.value.compiled == nil || !guide.usesCompiledIndex {
                StampStore.record(index: guide.compiledIndex(key: CompiledIndex.key(stamp)), directory: directory)
            }
            return status
        }
        // The topics are indexed as they are read, and not kept: each is read again from its file when shown.
        Matcher.mapLargeBlocks()
        let topicIndex = Matcher.Indexing()
        let loading = Deferred(later: { loadAndStamp(directory: directory, indexing: topicIndex) })
        loading.start()
        let file = try openTranscript(transcript)
        let (reader, editReader) = makeReader(keepHistory: keepHistory)
        let bundle: ContentBundle
        do {
            bundle = try self.bundle(from: loading.value.result, root: root, local: local)
        } catch {
            editReader?.close()
            file?.close()
            throw error
        }
        let guide = Guide(bundle: bundle, indexed: topicIndex, indexing: .later)
        // The compiled index is written on a thread of its own once the indexes are built, off the way to the
        // prompt; the session waits for it at the end, so that no half-written file is left behind.
        let recording = Deferred(later: {
            guard let stamp = loading.value.stamp else { return }
            StampStore.record(index: guide.compiledIndex(key: CompiledIndex.key(stamp)), directory: directory)
        })
        recording.start()
        let status = chat(guide: guide, reader: reader, editReader: editReader, start: .started, transcript: file)
        recording.wait()
        return status
    }

    /// Loads the bundle; when it has no errors, no file changed while it was read and none changed in the last
    /// seconds, records a stamp so that the next start can greet the person before reading it all, and returns
    /// it (the key of the compiled index to write once the indexes are built).
    static func loadAndStamp(directory: String, indexing: Matcher.Indexing? = nil) -> (result: LoadResult, stamp: String?) {
        // With stamps off (no folder to keep them in) there is nothing to stamp: the bundle is only read.
        let program = StampStore.folder() != nil ? StampStore.program() : nil
        let before = program.flatMap { BundleStamp.make(directory: PrivateFile.absolutePath(directory), program: $0) }
        let result = BundleLoader.load(directory: directory, indexing: indexing)
        if result.bundle != nil, let before, let program, !BundleStamp.isRecent(before, now: time(nil)),
           BundleStamp.make(directory: PrivateFile.absolutePath(directory), program: program) == before {
            StampStore.record(stamp: before, directory: directory)
            return (result, before)
        }
        return (result, nil)
    }

    /// `session`: the education session of the bundle, for a presenter; the same guide around it.
    public static func session(root: String, language: String, local: String?, transcript: String?) throws -> Int32 {
        let bundle = try loadBundle(root: root, language: language, local: local)
        guard bundle.course != nil else {
            throw Failure("klonopin-guide: the content bundle in '\(root)' has no session.txt, so it has no education session to run")
        }
        let file = try openTranscript(transcript)
        return chat(guide: Guide(bundle: bundle, indexing: .later), keepHistory: false, start: .sessionStarted,
                    transcript: file)
    }

    /// Opens the `--transcript` file, or fails with a message that names it.
    static func openTranscript(_ path: String?) throws -> TranscriptFile? {
        guard let path else { return nil }
        do {
            return try TranscriptFile(path: path)
        } catch {
            throw Failure("klonopin-guide: cannot write the transcript to '\(path)': \(error.reason)")
        }
    }

    /// The interactive guide: libedit on a terminal, plain lines otherwise.
    public static func chat(guide: Guide, keepHistory: Bool, start: Conversation.Event = .started,
                            transcript: TranscriptFile? = nil) -> Int32 {
        let (reader, editReader) = makeReader(keepHistory: keepHistory)
        return chat(guide: guide, reader: reader, editReader: editReader, start: start, transcript: transcript)
    }

    /// libedit on a terminal (returned twice: as the reader, and to close), plain lines otherwise.
    static func makeReader(keepHistory: Bool) -> (LineReader, EditLineReader?) {
        guard Terminal.isInteractive else { return (PlainLineReader(), nil) }
        let edit = EditLineReader(programName: "klonopin-guide",
                                  historyFile: keepHistory ? Terminal.defaultHistoryPath() : nil)
        return (edit, edit)
    }

    static func chat(guide: Guide, reader: LineReader, editReader: EditLineReader?, start: Conversation.Event,
                     transcript: TranscriptFile?) -> Int32 {
        let interactive = editReader != nil
        let color = interactive && wantsColor()
        let session = Session(conversation: Conversation(guide: guide), reader: reader, output: StandardOutput(),
                              start: start, transcript: transcript) {
            Renderer(width: interactive ? (Terminal.width() ?? 80) : 80, color: color)
        }
        let status = session.run()
        editReader?.close()
        transcript?.close()
        return status
    }

    /// `ask`: one question, or one a line from standard input when `question` is nil.
    public static func ask(guide: Guide, question: String?, json: Bool, output: TextOutput) {
        let color = Terminal.isTTY(STDOUT_FILENO) && wantsColor()
        let renderer = Renderer(width: Terminal.width() ?? 80, color: color)
        func answer(_ text: String) {
            let reply = guide.reply(to: text)
            if json {
                output.write(ReplyJSON.encode(reply) + "\n")
            } else {
                let heading: [Block] = reply.title.map { [.heading($0)] } ?? []
                output.write(renderer.render(reply.kind == .crisis ? reply.blocks : heading + reply.blocks))
            }
        }
        if let question {
            answer(question)
            return
        }
        let reader = PlainLineReader()
        while case .line(let text) = reader.readLine(prompt: "") {
            answer(text)
        }
    }

    /// `topics`: every topic, as lines or as a JSON array.
    public static func topics(guide: Guide, json: Bool, output: TextOutput) {
        if json {
            output.write(ReplyJSON.topics(guide.bundle.topics) + "\n")
        } else {
            // Ids and titles only: no topic file is read for them.
            let shelf = guide.bundle.shelf
            let width = shelf.ids.map(\.count).max() ?? 0
            for (id, title) in zip(shelf.ids, shelf.titles) {
                output.write(id + String(repeating: " ", count: width - id.count + 2) + title + "\n")
            }
        }
    }

    static func wantsColor() -> Bool {
        guard let value = getenv("NO_COLOR") else { return true }
        return value.pointee == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
