// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "klonopin-guide",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "klonopin-guide", targets: ["klonopin-guide"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "GuideContent"),
        .target(name: "GuideCore", dependencies: ["GuideContent"]),
        .target(name: "GuideTerminal", dependencies: ["GuideCore", "CEditLine"]),
        .executableTarget(
            name: "klonopin-guide",
            dependencies: [
                "GuideTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GuideContentTests", dependencies: ["GuideContent"]),
        .testTarget(name: "GuideCoreTests", dependencies: ["GuideCore", "GuideContent"]),
        .testTarget(name: "GuideTerminalTests", dependencies: ["GuideTerminal", "GuideCore", "GuideContent"],
                    exclude: ["Transcripts", "Handouts"]),
    ]
)
