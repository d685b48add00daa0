#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GuideContent
import GuideCore

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
    static func isCurrent(directory: String) -> Bool { currentStamp(directory: directory) != nil }

    /// The stamp of the bundle in `directory` when the bundle is as it was when this build last loaded it with no
    /// errors; else nil.
    static func currentStamp(directory: String) -> String? {
        let directory = PrivateFile.absolutePath(directory)
        guard let folder = folder(), let program = program(),
              let stamp = FileSystem.readText(FileSystemPaths.joined(folder, BundleStamp.fileName(for: directory))),
              BundleStamp.matches(stamp, directory: directory, program: program)
        else { return nil }
        return stamp
    }

    /// The path of the compiled index kept beside a bundle's stamp.
    static func indexPath(folder: String, directory: String) -> String {
        FileSystemPaths.joined(folder, String(BundleStamp.fileName(for: directory).dropLast(".stamp".count)) + ".index")
    }

    /// The compiled index of the bundle in `directory` whose current stamp is `stamp`, mapped into memory (read
    /// only, never copied whole); nil when there is none, or it was made for another stamp or by another layout.
    static func compiledIndex(directory: String, stamp: String) -> CompiledIndex? {
        guard let folder = folder() else { return nil }
        let path = indexPath(folder: folder, directory: PrivateFile.absolutePath(directory))
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_RANDOM)
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0, info.st_size < Int(Int32.max),
              let address = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED
        else { return nil }
        // A question reads a few scattered pages: no read-ahead, no pages mapped around the one read, no huge
        // pages, so that only what is used counts in the guide's memory.
        _ = madvise(address, Int(info.st_size), MADV_RANDOM)
        _ = madvise(address, Int(info.st_size), MADV_NOHUGEPAGE)
        let bytes = ImageBytes(base: UnsafeRawPointer(address), count: Int(info.st_size), release: { base, count in
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        })
        return CompiledIndex(bytes, key: CompiledIndex.key(stamp))
    }

    /// Records the compiled index of the bundle in `directory` (0600, written whole or not at all), for the stamp
    /// it was made with (`CompiledIndex.key`).
    static func record(index: ImageWriter, directory: String) {
        guard let folder = folder() else { return }
        let path = indexPath(folder: folder, directory: PrivateFile.absolutePath(directory))
        PrivateFile.makeDirectories(for: path)
        _ = PrivateFile.write(to: path) { descriptor in
            var failure: Int32 = 0
            _ = index.write { piece in
                failure = PrivateFile.writeAll(descriptor, piece)
                return failure == 0
            }
            // Written to disk and let go of: pages just written sit in memory as large blocks that a later start
            // would map whole, for a question that needs a few bytes of each. Read back one page at a time, only
            // what is used counts in the guide's memory.
            if failure == 0, fdatasync(descriptor) == 0 { _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) }
            return failure
        }
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
