#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GuideContent

/// Where the guide keeps its bundle stamps (`BundleStamp`): `$XDG_CACHE_HOME/klonopin-guide`, else
/// `~/.cache/klonopin-guide`. A stamp names content files and their sizes and times, never anything a person typed;
/// it is mode 0600 in a 0700 folder, and deleting it only makes the next start check the bundle again.
/// `KLONOPIN_GUIDE_STAMPS=off` turns stamps off (every start reads and checks the whole bundle first).
enum StampStore {
    /// The folder for stamps; nil when stamps are turned off or there is no home folder.
    static func folder(environment: [String: String]) -> String? {
        if environment["KLONOPIN_GUIDE_STAMPS"] == "off" { return nil }
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return FileSystemPaths.joined(cache, "klonopin-guide")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return FileSystemPaths.joined(home, ".cache/klonopin-guide")
    }

    static func folder() -> String? {
        var environment: [String: String] = [:]
        for name in ["KLONOPIN_GUIDE_STAMPS", "XDG_CACHE_HOME", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return folder(environment: environment)
    }

    /// What identifies this build of the guide: the size, modification time and inode of its executable. A new
    /// build checks every bundle again.
    static func program() -> String? {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return nil }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }

    /// Whether the bundle in `directory` is as it was when this build last loaded it with no errors.
    static func isCurrent(directory: String) -> Bool {
        let directory = PrivateFile.absolutePath(directory)
        guard let folder = folder(), let program = program(),
              let stamp = FileSystem.readText(FileSystemPaths.joined(folder, BundleStamp.fileName(for: directory)))
        else { return false }
        return BundleStamp.matches(stamp, directory: directory, program: program)
    }

    /// Records `stamp` (made by `BundleStamp.make` before the load): the bundle in `directory` loaded with no
    /// errors. Failing to write is not an error: the next start checks the bundle again.
    static func record(stamp: String, directory: String) {
        let directory = PrivateFile.absolutePath(directory)
        guard let folder = folder() else { return }
        let path = FileSystemPaths.joined(folder, BundleStamp.fileName(for: directory))
        PrivateFile.makeDirectories(for: path)
        _ = PrivateFile.write(stamp, to: path)
    }
}

/// Paths on the terminal side.
enum FileSystemPaths {
    /// `base` and `relative` joined by exactly one slash.
    static func joined(_ base: String, _ relative: String) -> String {
        var trimmed = Substring(base)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed == "/" ? "/" + relative : trimmed + "/" + relative
    }
}
