/// A helpline or service, read from `resources.txt`.
public struct Resource: Hashable, Sendable, Identifiable {
    /// A detail of a resource, in file order: `phone`, `text`, `hours`…
    public struct Detail: Hashable, Sendable {
        public var key: String
        public var value: String
    }

    public var id: String
    public var name: String
    public var details: [Detail]
    public var verified: SimpleDate
    public var body: [Block]

    /// The keys a resource may carry besides `name` and `verified`, in the order they are shown.
    public static let detailKeys = [
        "phone", "text", "chat", "web", "tty", "address", "hours", "cost", "languages", "for", "offers", "not-for",
    ]
}

/// A source that facts rest on, read from `sources.txt`.
public struct Source: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    public var publisher: String?
    public var year: String
    public var url: String?

    /// The full citation on one line.
    public var citation: String {
        var parts = [title]
        if let publisher { parts.append(publisher) }
        parts.append(year)
        if let url { parts.append(url) }
        return parts.joined(separator: ". ")
    }
}
