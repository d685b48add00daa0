/// A bundle's topics, sorted by id. A loaded bundle holds every topic parsed. A bundle started from its compiled
/// index (the bundle is as it was when it last loaded clean) holds only their ids and titles, and reads each
/// topic from its file (`topics/ID.txt`) the first time it is asked for: a bundle of thousands of topics starts
/// without reading them all.
public final class TopicShelf: @unchecked Sendable {
    /// Every topic's id, sorted (each once): a topic is found by a binary search of them, where a table of the
    /// ids took 0.4 MiB of 10,000 topics.
    public let ids: [String]
    /// Every topic's title, in the order of `ids`.
    public let titles: [String]
    /// The language folder the topics are read from; nil when every topic is parsed already.
    private let directory: String?
    // `parsed` is read and written only under `monitor`'s lock.
    private var parsed: [Topic?]
    private let monitor = Monitor()

    /// Topics already parsed.
    public init(_ topics: [Topic]) {
        let sorted = topics.sorted { $0.id < $1.id }
        ids = sorted.map(\.id)
        titles = sorted.map(\.title)
        directory = nil
        parsed = sorted
    }

    /// The topics' ids and titles, in any order, each topic read from `directory` when first asked for (its text is
    /// not kept: the loader indexed it as it read it).
    convenience init(lazy topics: [(id: String, title: String)], directory: String) {
        let sorted = topics.sorted { $0.id < $1.id }
        self.init(ids: sorted.map(\.id), titles: sorted.map(\.title), directory: directory)
    }

    /// Topics read from `directory` when first asked for: `ids` sorted (each once), with their titles.
    public init(ids: [String], titles: [String], directory: String) {
        precondition(ids.count == titles.count, "one title a topic")
        precondition(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "ids sorted, each once")
        self.ids = ids
        self.titles = titles
        self.directory = directory
        parsed = Array(repeating: nil, count: ids.count)
    }

    /// The place of `id` in `ids`, if it is there.
    private func position(_ id: String) -> Int? {
        var (low, high) = (0, ids.count)
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    public var count: Int { ids.count }

    /// Whether each topic is read from its file when first asked for.
    public var readsLazily: Bool { directory != nil }

    /// The topic with this id; nil when there is none, or when its file no longer reads as a clean topic with
    /// this id (it changed after the guide started).
    public func topic(_ id: String) -> Topic? {
        guard let position = position(id) else { return nil }
        monitor.lock()
        let cached = parsed[position]
        monitor.unlock()
        if let cached { return cached }
        guard let directory, let topic = TopicShelf.read(id, from: directory) else { return nil }
        monitor.lock()
        parsed[position] = topic
        monitor.unlock()
        return topic
    }

    /// The title of the topic with this id, without reading its file.
    public func title(_ id: String) -> String? { position(id).map { titles[$0] } }

    /// Every topic, sorted by id: each one read when the shelf reads lazily (a topic that no longer reads clean
    /// is left out).
    public var all: [Topic] { ids.compactMap(topic) }

    /// `topics/ID.txt` of `directory` parsed, when it reads with no errors and has that id.
    static func read(_ id: String, from directory: String) -> Topic? {
        var loader = Loader(directory: directory, today: .today())
        guard let document = loader.read("topics/\(id).txt", required: true),
              let topic = loader.parseTopic(document, stem: id), !loader.diagnostics.hasErrors, topic.id == id
        else { return nil }
        return topic
    }
}
