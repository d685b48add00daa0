#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record that a bundle folder was loaded with no errors: every file and folder in it (two levels deep) with its
/// size, change times and inode number, and the program that checked it.
///
/// The guide writes one after a clean load and, at the next start, compares it with the folder as it is: when
/// nothing changed (not one byte rewritten, no file added, removed or renamed, and the same program), the bundle
/// is known to be clean and the welcome can be shown before the rest of the bundle is read. Any difference means
/// a full load and check, as if there were no stamp. `ctime` cannot be set back by tools like `touch`, so a file
/// edited and given its old modification time still differs.
public enum BundleStamp {
    /// The first line of every stamp; a new format gets a new number.
    static let header = "klonopin-guide bundle stamp 1"

    /// The stamp of `directory` as it is now, checked by `program` (any text that changes when the program does,
    /// such as its size, time and inode). nil when the folder cannot be listed.
    public static func make(directory: String, program: String) -> String? {
        guard let entries = entries(directory) else { return nil }
        var text = header + "\nprogram " + program + "\n"
        for entry in entries { text += entry + "\n" }
        return text
    }

    /// Whether `stamp` describes `directory` as it is now, checked by `program`. Only stats each recorded path
    /// (a folder's times change when a name in it is added, removed or renamed).
    public static func matches(_ stamp: String, directory: String, program: String) -> Bool {
        var stamp = stamp
        return stamp.withUTF8 { bytes in
            // Read as bytes, one line at a time: a stamp of a big bundle has a line for each of thousands of files.
            var lines: [UnsafeBufferPointer<UInt8>] = []
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
                lines.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
            }
            guard start == bytes.count, lines.count >= 3, String(decoding: lines[0], as: UTF8.self) == header,
                  String(decoding: lines[1], as: UTF8.self) == "program " + program else { return false }
            var sawDirectory = false
            for line in lines.dropFirst(2) {
                // Numbers compared as numbers: no line is written out again, so a check costs little more than a
                // stat.
                guard let recorded = Entry(bytes: line), let now = Entry(path: recorded.path), now == recorded else {
                    return false
                }
                if recorded.path == directory { sawDirectory = true }
            }
            return sawDirectory
        }
    }

    /// Whether a file or folder of `stamp` changed less than `margin` seconds before `now` (seconds since 1970): a
    /// change made in the same tick of the file system's clock as a later one could leave the same times, so such a
    /// stamp is not kept (as git treats "racily clean" files).
    public static func isRecent(_ stamp: String, now: Int, margin: Int = 2) -> Bool {
        stamp.split(separator: "\n").dropFirst(2).contains { line in
            guard let entry = Entry(line) else { return true }
            return max(entry.modified.seconds, entry.changed.seconds) >= now - margin
        }
    }

    /// The stamp's name for a bundle folder: a hash of its absolute path, so that bundles keep stamps of their own.
    public static func fileName(for directory: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in directory.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "bundle-" + String(repeating: "0", count: 16 - hex.count) + hex + ".stamp"
    }

    /// One line for the folder and each name in it and in its folders, sorted.
    static func entries(_ directory: String) -> [String]? {
        guard let top = describe(directory), let names = FileSystem.list(directory) else { return nil }
        var lines = [top]
        for name in names {
            let path = FileSystem.join(directory, name)
            guard let line = describe(path) else { return nil }
            lines.append(line)
            guard FileSystem.kind(of: path) == .directory else { continue }
            guard let inner = FileSystem.list(path) else { return nil }
            for innerName in inner {
                guard let innerLine = describe(FileSystem.join(path, innerName)) else { return nil }
                lines.append(innerLine)
            }
        }
        return lines
    }

    /// "<kind> <size> <mtime> <ctime> <inode> <path>" for one path (not following a final symbolic link); nil
    /// when it cannot be read.
    static func describe(_ path: String) -> String? { Entry(path: path)?.line }

    /// One line of a stamp, as numbers.
    struct Entry: Equatable {
        var kind: Character
        var size: Int
        var modified: (seconds: Int, nanoseconds: Int)
        var changed: (seconds: Int, nanoseconds: Int)
        var inode: UInt64
        var path: String

        /// The entry of `path` as it is now.
        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "d"
            case S_IFREG: kind = "f"
            case S_IFLNK: kind = "l"
            default: kind = "o"
            }
            size = Int(info.st_size)
            #if canImport(Glibc)
            modified = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
            changed = (Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec))
            #else
            modified = (Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec))
            changed = (Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec))
            #endif
            inode = UInt64(info.st_ino)
            self.path = path
        }

        /// The entry a stamp line records; nil for a line that is not one.
        init?(_ line: Substring) {
            var line = line
            guard let entry = line.withUTF8({ Entry(bytes: $0) }) else { return nil }
            self = entry
        }

        /// `init?(_:)` for a line's UTF-8: "<kind> <size> <mtime> <ctime> <inode> <path>", times as
        /// "<seconds>.<nanoseconds>".
        init?(bytes line: UnsafeBufferPointer<UInt8>) {
            var position = 0
            /// The digits up to the next `end`, as a number; nil when there are none or something else comes first.
            func number(until end: UInt8) -> UInt64? {
                var value: UInt64 = 0
                let first = position
                while position < line.count, line[position] != end {
                    let digit = line[position] &- UInt8(ascii: "0")
                    guard digit <= 9, value <= (UInt64.max - 9) / 10 else { return nil }
                    value = value * 10 + UInt64(digit)
                    position += 1
                }
                guard position > first, position < line.count else { return nil }
                position += 1
                return value
            }
            let space = UInt8(ascii: " ")
            let dot = UInt8(ascii: ".")
            guard line.count > 2, line[0] < 128, line[1] == space else { return nil }
            position = 2
            guard let size = number(until: space), let modifiedSeconds = number(until: dot),
                  let modifiedNanoseconds = number(until: space), let changedSeconds = number(until: dot),
                  let changedNanoseconds = number(until: space), let inode = number(until: space),
                  [size, modifiedSeconds, modifiedNanoseconds, changedSeconds, changedNanoseconds]
                      .allSatisfy({ $0 <= UInt64(Int.max) })
            else { return nil }
            // `number` stepped past the space before the path; it must not be empty.
            guard position < line.count else { return nil }
            kind = Character(Unicode.Scalar(line[0]))
            self.size = Int(size)
            modified = (Int(modifiedSeconds), Int(modifiedNanoseconds))
            changed = (Int(changedSeconds), Int(changedNanoseconds))
            self.inode = inode
            path = String(decoding: UnsafeBufferPointer(rebasing: line[position...]), as: UTF8.self)
        }

        var line: String {
            "\(kind) \(size) \(modified.seconds).\(modified.nanoseconds) \(changed.seconds).\(changed.nanoseconds) \(inode) \(path)"
        }

        static func == (a: Entry, b: Entry) -> Bool {
            a.kind == b.kind && a.size == b.size && a.modified == b.modified && a.changed == b.changed
                && a.inode == b.inode && a.path == b.path
        }
    }

}
