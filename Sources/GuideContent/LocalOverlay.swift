/// A clinic's own resources, kept apart from the bundle: a folder holding one `resources.txt` in the bundle's
/// format (`--local DIR`). It is checked like the bundle, and never runs with an error.
public struct LocalOverlayResult: Sendable {
    /// The resources, in file order; nil when there is an error.
    public var resources: [Resource]?
    public var diagnostics: [Diagnostic]
}

extension BundleLoader {
    /// Loads and checks the local resources in `directory` against `bundle` (their ids must be new to it).
    public static func loadLocal(directory: String, bundle: ContentBundle, today: SimpleDate = .today())
        -> LocalOverlayResult
    {
        var loader = Loader(directory: directory, today: today)
        return loader.runLocal(bundle: bundle)
    }

    /// The same, from in-memory files (relative path → text), for tests.
    public static func loadLocal(files: [String: String], root: String = "local", bundle: ContentBundle,
                                 today: SimpleDate) -> LocalOverlayResult {
        var loader = Loader(directory: root, today: today, memory: files)
        return loader.runLocal(bundle: bundle)
    }
}

extension Loader {
    mutating func runLocal(bundle: ContentBundle) -> LocalOverlayResult {
        var resources: [Resource] = []
        if let document = read("resources.txt", required: true) {
            resources = parseResources(document)
            checkReservedResource(document)
            checkResourceLabels(document, labels: bundle.messages.sections["resource-labels"])
            for section in document.sections {
                guard let name = section.name, bundle.resource(name) != nil else { continue }
                error("K055", "the bundle already has a resource '\(name)': give the clinic's own another id",
                      location(document, section.line, 4))
            }
            if document.sections.isEmpty {
                error("K057", "there are no local resources here: add one, like '== my-clinic' with name: and verified:",
                      location(document, 1))
            }
        }
        let diagnostics = diagnostics.sortedForDisplay()
        return LocalOverlayResult(resources: diagnostics.hasErrors ? nil : resources, diagnostics: diagnostics)
    }
}
