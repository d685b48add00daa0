/// Where a choice in a flow leads.
public enum FlowTarget: Hashable, Sendable {
    /// Another node of the same flow.
    case node(String)
    /// A topic; the flow ends.
    case topic(String)
    /// Another flow, from its start.
    case flow(String)
    /// The flow is finished.
    case end
}

/// A numbered choice at the end of a flow node.
public struct FlowChoice: Hashable, Sendable {
    public var label: String
    public var target: FlowTarget
}

/// One step of a flow.
public struct FlowNode: Hashable, Sendable {
    public var name: String
    public var body: [Block]
    public var choices: [FlowChoice]
    /// Where the node goes at once, after its text, when it has no choices.
    public var next: FlowTarget?
    public var sources: [String]
    public var resources: [String]
    /// With `collect: questions`: the node's bullets, questions to ask the prescriber that a session keeps for
    /// the handout.
    public var questions: [String] = []
}

/// A guided conversation: named nodes with text and choices.
public struct Flow: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    /// What a person types to start it.
    public var words: [String]
    public var start: String
    public var nodes: [String: FlowNode]
    /// Node names in file order.
    public var order: [String]
    public var file: String

    public func node(_ name: String) -> FlowNode? { nodes[name] }
}
