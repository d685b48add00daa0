#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the loader needs, without Foundation.
package enum FileSystem {
    enum Kind { case missing, file, directory, other }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// The file's bytes as UTF-8 text (invalid bytes become U+FFFD); nil when it cannot be read.
    package static func readText(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = max(Int(info.st_size), 0)
        if (info.st_mode & S_IFMT) == S_IFREG {
            // Read straight into the string, with room for one byte more than the size to notice a file that
            // grew while it was read.
            var failed = false
            var grew = false
            let text = String(unsafeUninitializedCapacity: size + 1) { buffer in
                var count = 0
                while count < buffer.count {
                    let result = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                    if result < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        return 0
                    }
                    if result == 0 { break }
                    count += result
                }
                grew = count > size
                return grew ? 0 : count
            }
            if failed { return nil }
            if !grew { return text }
            // It grew while it was read: read it again to the end.
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { return nil }
        }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if result == 0 { break }
            count += result
        }
        return bytes.withUnsafeBufferPointer { String(decoding: $0[..<count], as: UTF8.self) }
    }

    /// The names in a directory, sorted; nil when it cannot be read.
    static func list(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func join(_ base: String, _ name: String) -> String {
        base.hasSuffix("/") ? base + name : base + "/" + name
    }
}
