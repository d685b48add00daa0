import Foundation
import GuideContent
import GuideCore

/// The minimal fixture bundle and the shipped bundle, loaded once for the core tests.
enum TestGuide {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let today = SimpleDate(year: 2026, month: 11, day: 27)

    static let minimal: Guide = load("Tests/Fixtures/minimal")
    static let shipped: Guide = load("Content/en")

    static func load(_ relative: String) -> Guide {
        let result = BundleLoader.load(directory: repository.appendingPathComponent(relative).path, today: today)
        guard let bundle = result.bundle else {
            fatalError("fixture \(relative) does not load: \(result.diagnostics.map(\.description))")
        }
        return Guide(bundle: bundle)
    }
}

extension Conversation {
    /// Runs events from a fresh state; returns the final state and the effects of the last event.
    func run(_ events: [Event]) -> (State, [Effect]) {
        var state = State()
        var effects: [Effect] = []
        for event in events { (state, effects) = reduce(state, event) }
        return (state, effects)
    }

    /// Starts, then enters each line.
    func run(lines: [String]) -> (State, [Effect]) {
        run([.started] + lines.map { .lineEntered($0) })
    }
}
