import Foundation
@testable import GuideContent
import Testing

@Suite("Loading a clinic's own resources (a local overlay)")
struct LocalOverlayTests {
    static let local = Fixtures.repository.appendingPathComponent("Tests/Fixtures/local").path
    static let broken = Fixtures.repository.appendingPathComponent("Tests/Fixtures/local-broken").path

    static func shipped() throws -> ContentBundle {
        try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
    }

    @Test("The example overlay loads into exactly its resources, in file order")
    func example() throws {
        let result = BundleLoader.loadLocal(directory: Self.local, bundle: try Self.shipped(), today: Fixtures.today)
        #expect(result.diagnostics == [])
        #expect(result.resources == [
            Resource(id: "riverside-clinic", name: "Riverside Community Clinic", details: [
                Resource.Detail(key: "phone", value: "555-0100"),
                Resource.Detail(key: "address", value: "12 River Street, Springfield"),
                Resource.Detail(key: "hours", value: "Monday to Friday, 8 a.m. to 6 p.m."),
                Resource.Detail(key: "offers", value: "Tapering support with a prescriber, a weekly support group, and visits with fees based on income"),
            ], verified: SimpleDate(year: 2026, month: 11, day: 20), body: []),
            Resource(id: "riverside-group", name: "Riverside peer support group", details: [
                Resource.Detail(key: "address", value: "Riverside Community Clinic, room 4"),
                Resource.Detail(key: "hours", value: "Thursdays, 6 p.m. to 7 p.m."),
                Resource.Detail(key: "cost", value: "Free"),
                Resource.Detail(key: "offers", value: "A group for people coming off benzodiazepines and their families, led by a peer counselor"),
            ], verified: SimpleDate(year: 2026, month: 11, day: 20), body: []),
        ])
    }

    @Test("A broken overlay gets every diagnostic with its file, line and column, and no resources")
    func broken() throws {
        let result = BundleLoader.loadLocal(directory: Self.broken, bundle: try Self.shipped(), today: Fixtures.today)
        let file = Self.broken + "/resources.txt"
        #expect(result.diagnostics.map(\.description) == [
            "\(file):1:4: error: the bundle already has a resource '988': give the clinic's own another id [K055]",
            "\(file):5:4: error: the resource id 'local' stands for the clinic's own resources (--local); pick another id [K055]",
            "\(file):9:1: error: section 'riverside-clinic' needs a 'name:' field [K010]",
            "\(file):11:11: error: '2026-13-01' is not a date: write it as YYYY-MM-DD, like 2026-11-27 [K011]",
        ])
        #expect(result.resources == nil)
    }

    @Test("An overlay with no resources, or no resources.txt, is an error; an old date is a warning")
    func emptyOrMissing() throws {
        let bundle = try Self.shipped()
        #expect(BundleLoader.loadLocal(files: ["resources.txt": "// none yet\n"], bundle: bundle, today: Fixtures.today)
            .diagnostics.map(\.description)
            == ["local/resources.txt:1:1: error: there are no local resources here: add one, like '== my-clinic' with name: and verified: [K057]"])
        #expect(BundleLoader.loadLocal(files: [:], bundle: bundle, today: Fixtures.today).diagnostics.map(\.description)
            == ["local/resources.txt:1:1: error: the bundle needs this file, and it is missing or cannot be read [K045]"])
        let old = BundleLoader.loadLocal(files: ["resources.txt": "== ours\nname: Ours\nverified: 2024-01-01\n"],
                                         bundle: bundle, today: Fixtures.today)
        #expect(old.diagnostics.map(\.description)
            == ["local/resources.txt:3:11: warning: resource 'ours' was last verified on 2024-01-01, more than a year ago: check its details and update the date [K047]"])
        #expect(old.resources?.map(\.id) == ["ours"])
        // A detail that repeats the label the guide writes before it, one word or two, is a warning too.
        let labelled = BundleLoader.loadLocal(
            files: ["resources.txt": "== ours\nname: Ours\nphone: Call 555-0100\nnot-for: Not for: emergencies\nverified: 2026-11-01\n"],
            bundle: bundle, today: Fixtures.today)
        #expect(labelled.diagnostics.map(\.description) == [
            "local/resources.txt:3:8: warning: the guide writes 'Call' before a resource's phone; start the value after it [K062]",
            "local/resources.txt:4:10: warning: the guide writes 'Not for' before a resource's not-for; start the value after it [K062]",
        ])
    }

    @Test("'local' in resources: names every local resource, in order, where it stands")
    func expansion() throws {
        var bundle = try Self.shipped()
        bundle.localResources = BundleLoader.loadLocal(directory: Self.local, bundle: bundle, today: Fixtures.today).resources ?? []
        #expect(bundle.resources(["911", "local", "988"]).map(\.id) == ["911", "riverside-clinic", "riverside-group", "988"])
        bundle.localResources = []
        #expect(bundle.resources(["local", "988", "nope"]).map(\.id) == ["988"])
    }
}
