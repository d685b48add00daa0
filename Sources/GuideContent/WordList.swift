/// The words of everyday English (`words.txt`): a word on this list is a word, not a misspelling, so the matcher
/// mends it only into a word of the same stem ("managing" → "manage", never "browser" → "brother").
///
/// The words are kept as bytes, one a line in byte order, and found by binary search: no string, set or table is
/// made for them; the loader checks the file's lines and copies their bytes once.
public struct WordList: Hashable, Sendable {
    /// "\n" + the words joined by "\n" + "\n".
    private let bytes: [UInt8]
    /// How many words.
    public let count: Int

    public static let empty = WordList(sorted: [])

    /// `words` must be in byte order, without repeats (the loader checks).
    public init(sorted words: [String]) {
        var bytes: [UInt8] = [10]
        bytes.reserveCapacity(words.reduce(1) { $0 + $1.utf8.count + 1 })
        for word in words {
            bytes += word.utf8
            bytes.append(10)
        }
        self.init(joined: bytes, count: words.count)
    }

    /// `joined`: "\n", then each word and "\n", in byte order without repeats.
    init(joined: [UInt8], count: Int) {
        bytes = joined
        self.count = count
    }

    public func contains(_ word: String) -> Bool {
        var target = word
        return target.withUTF8 { contains($0) }
    }

    public func contains(_ target: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !target.isEmpty, count > 0 else { return false }
        return bytes.withUnsafeBufferPointer { all in
            var low = 1
            var high = all.count
            while low < high {
                // The line around the middle position.
                var start = (low + high) / 2
                while all[start - 1] != 10 { start -= 1 }
                var end = start
                while all[end] != 10 { end += 1 }
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                let order = WordList.compare(line, target)
                if order == 0 { return true }
                if order < 0 { low = end + 1 } else { high = start }
            }
            return false
        }
    }

    /// Byte order: negative when `a` comes first.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for (x, y) in zip(a, b) where x != y { return Int(x) - Int(y) }
        return a.count - b.count
    }
}
