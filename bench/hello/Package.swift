// swift-tools-version:6.0
// The baseline of bench/startup.sh: a Swift hello-world built the same way as the guide (same toolchain,
// `swift build -c release`) that shows the same prompt and waits for one line.
import PackageDescription

let package = Package(
    name: "hello",
    targets: [
        .executableTarget(name: "hello")
    ]
)
