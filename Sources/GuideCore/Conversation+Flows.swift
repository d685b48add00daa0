import GuideContent

/// Running the flows of the bundle: start, show a node, follow a choice, go back, resume after a question.
extension Conversation {
    func startFlow(_ id: String, _ state: inout State, _ output: inout Output) {
        guard let flow = bundle.flow(id) else { return }
        output.say([.heading(flow.title)])
        state.flow = FlowPosition(flow: id, node: flow.start, trail: [])
        enterNode(&state, &output)
    }

    /// Shows the current node; follows its `-> target` line at once when it has one.
    func enterNode(_ state: inout State, _ output: inout Output) {
        var seen: Set<String> = []
        while let position = state.flow, let flow = bundle.flow(position.flow), let node = flow.node(position.node) {
            output.say(nodeBlocks(node))
            output.sources = node.sources
            state.mode = .inFlow
            guard let next = node.next else { return }
            // A chain of '-> node' lines cannot loop forever, even in odd content.
            guard !seen.contains(node.name) else { return }
            seen.insert(node.name)
            follow(next, from: node.name, &state, &output)
            if case .node = next { continue }
            return
        }
    }

    func nodeBlocks(_ node: FlowNode) -> [Block] {
        var blocks = node.body
        for resource in bundle.resources(node.resources) { blocks += guide.resourceBlocks(resource) }
        if !node.choices.isEmpty { blocks.append(.choices(node.choices.map(\.label))) }
        return blocks
    }

    func chooseInFlow(_ number: Int, _ state: inout State, _ output: inout Output) {
        guard let position = state.flow, let node = bundle.flow(position.flow)?.node(position.node) else {
            state.mode = .ready
            return
        }
        guard number >= 1 && number <= node.choices.count else {
            output.say(messages.blocks("not-a-choice", ["count": String(node.choices.count)]), remember: false)
            return
        }
        let target = node.choices[number - 1].target
        follow(target, from: node.name, &state, &output)
        if case .node = target { enterNode(&state, &output) }
    }

    /// Moves to a target. For a node it only updates the position; the caller shows it.
    func follow(_ target: FlowTarget, from node: String, _ state: inout State, _ output: inout Output) {
        switch target {
        case .node(let name):
            state.flow?.trail.append(node)
            state.flow?.node = name
        case .topic(let id):
            state.flow = nil
            state.mode = .ready
            if let topic = bundle.topic(id) { showTopic(topic, &state, &output) }
        case .flow(let id):
            startFlow(id, &state, &output)
        case .end:
            state.flow = nil
            state.mode = .ready
            output.say(messages.blocks("flow-end"))
        }
    }

    func goBack(_ state: inout State, _ output: inout Output) {
        guard var position = state.flow else {
            if case .choosing = state.mode {
                state.mode = .ready
            }
            output.say(messages.blocks("back-nothing"), remember: false)
            return
        }
        if state.mode != .inFlow {
            // Back from a list or an answer shown inside the flow: the step the person was on.
            state.mode = .inFlow
            enterNodeWithoutJump(position, &state, &output)
            return
        }
        // Skip back over nodes that only jump on, so back never lands on a node that leaves at once.
        while let previous = position.trail.popLast() {
            position.node = previous
            if bundle.flow(position.flow)?.node(previous)?.next == nil {
                state.flow = position
                enterNodeWithoutJump(position, &state, &output)
                return
            }
        }
        output.say(messages.blocks("flow-first-step") + currentChoices(state), remember: false)
    }

    func enterNodeWithoutJump(_ position: FlowPosition, _ state: inout State, _ output: inout Output) {
        guard let node = bundle.flow(position.flow)?.node(position.node) else { return }
        output.say(nodeBlocks(node))
        output.sources = node.sources
        state.mode = .inFlow
    }

    func currentChoices(_ state: State) -> [Block] {
        guard let position = state.flow, let node = bundle.flow(position.flow)?.node(position.node),
            !node.choices.isEmpty
        else { return [] }
        return [.choices(node.choices.map(\.label))]
    }

    /// After a question answered inside a flow: remind the person of the step's choices.
    @discardableResult
    func resumeFlowIfAny(_ state: inout State, _ output: inout Output) -> Bool {
        guard state.flow != nil else { return false }
        state.mode = .inFlow
        output.say(messages.blocks("flow-resume") + currentChoices(state), remember: false)
        return true
    }
}
