/// One question the guide answers, read from `topics/ID.txt`.
public struct Topic: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    /// Example questions in the words people use.
    public var asks: [String]
    /// Keys into the bundle's sources.
    public var sources: [String]
    public var reviewed: SimpleDate
    /// Related topic ids.
    public var see: [String]
    /// Resource ids shown after the answer.
    public var resources: [String]
    public var body: [Block]
    public var file: String
}
