#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The crisis screen's second look (`safety-model.txt`), for a line no trigger catches: a weight toward a crisis
/// for each word and word pair (logistic regression), and, for a line whose weights add up past `threshold`, the
/// section it most likely belongs to (naive Bayes over `categories`). Generated from the dev sets by
/// `bench/train_safety_model.py`; the guide only reads it.
public struct SafetyModel: Hashable, Sendable {
    public struct Term: Hashable, Sendable {
        /// Toward a crisis (positive) or away from one.
        public var weight: Double
        /// The log-likelihood of the term in each section of `categories`, in order.
        public var likelihoods: [Double]
    }

    /// A line is flagged when `bias` plus its terms' weights is above this.
    public var threshold: Double
    public var bias: Double
    /// Section ids of `safety.txt`.
    public var categories: [String]
    /// The log prior of each section, in the order of `categories`.
    public var priors: [Double]
    /// By term: a word, or two words joined by a space.
    public var terms: [String: Term]
    /// The bundle's titles and example questions the model was trained on (`examples:`), when the file says; the
    /// loader warns when the topics now hold others [K063].
    public var examples: ExamplePrint?
    /// Where `examples:` is written.
    public var examplesLine = 0

    public init(threshold: Double, bias: Double, categories: [String], priors: [Double], terms: [String: Term]) {
        self.threshold = threshold
        self.bias = bias
        self.categories = categories
        self.priors = priors
        self.terms = terms
    }
}

/// A fingerprint of a set of questions, the same whatever their order: how many, and the sum (wrapping) of each
/// one's FNV-1a 64-bit hash of its UTF-8 bytes. `bench/train_safety_model.py` writes the same for the topics' titles
/// and example questions it trained on.
public struct ExamplePrint: Hashable, Sendable {
    public var count = 0
    public var sum: UInt64 = 0

    public init(count: Int = 0, sum: UInt64 = 0) {
        self.count = count
        self.sum = sum
    }

    public mutating func add(_ question: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in question.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        count += 1
        sum &+= hash
    }

    public mutating func add(_ other: ExamplePrint) {
        count += other.count
        sum &+= other.sum
    }

    /// As written in the file: the count, a space and the sum in 16 hex digits.
    public var text: String {
        let hex = String(sum, radix: 16)
        return "\(count) " + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Loader {
    /// Parses `safety-model.txt`: `threshold:`, `bias:`, `categories:` and `priors:` lines, then `== terms` and one
    /// line a term: the term, a tab, its weight, a tab, one log-likelihood a category (spaces between). Lines
    /// starting with `//` are comments.
    mutating func parseSafetyModel(_ text: String, file: String) -> SafetyModel? {
        var threshold: Double?
        var bias: Double?
        var categories: [String] = []
        var priors: [Double] = []
        var terms: [String: SafetyModel.Term] = [:]
        var inTerms = false
        var failed = false
        var examples: (ExamplePrint, Int)?
        func fail(_ line: Int, _ column: Int, _ message: String) {
            error("K060", message, SourceLocation(file: file, line: line, column: column))
            failed = true
        }
        for (index, line) in SafetyModel.lines(text).enumerated() {
            let number = index + 1
            if line.isEmpty || line.hasPrefix("//") { continue }
            if line == "== terms" {
                inTerms = true
                continue
            }
            if inTerms {
                var line = line
                let parsed = line.withUTF8 { SafetyModel.termLine($0, categories: categories.count) }
                guard let parsed else {
                    fail(number, 1, "a term line is the term, a tab, its weight, a tab and \(categories.count) numbers (one a category)")
                    continue
                }
                if terms[parsed.term] != nil {
                    fail(number, 1, "the term '\(parsed.term)' is given twice")
                    continue
                }
                terms[parsed.term] = parsed.entry
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                fail(number, 1, "expected 'threshold:', 'bias:', 'categories:', 'priors:' or '== terms'")
                continue
            }
            let key = line[..<colon]
            let value = String(line[line.index(after: colon)...].trimmedWhitespace())
            let column = line.distance(from: line.startIndex, to: colon) + 3
            switch key {
            case "threshold":
                threshold = Double(value).flatMap { $0.isFinite ? $0 : nil }
                if threshold == nil { fail(number, column, "'threshold:' needs a number") }
            case "bias":
                bias = Double(value).flatMap { $0.isFinite ? $0 : nil }
                if bias == nil { fail(number, column, "'bias:' needs a number") }
            case "categories":
                categories = value.commaList()
            case "examples":
                let parts = value.split(separator: " ")
                if parts.count == 2, let count = Int(parts[0]), let sum = UInt64(parts[1], radix: 16) {
                    examples = (ExamplePrint(count: count, sum: sum), number)
                } else {
                    fail(number, column, "'examples:' is a count and 16 hex digits, as bench/train_safety_model.py writes it")
                }
            case "priors":
                priors = value.split(separator: " ").compactMap { Double($0) }.filter(\.isFinite)
                if priors.count != value.split(separator: " ").count { fail(number, column, "'priors:' needs numbers") }
            default:
                fail(number, 1, "unknown line '\(key):': use 'threshold:', 'bias:', 'categories:' or 'priors:'")
            }
        }
        let top = SourceLocation(file: file, line: 1, column: 1)
        if threshold == nil || bias == nil || categories.isEmpty || priors.count != categories.count {
            error("K060", "the model needs 'threshold:', 'bias:', 'categories:' and one prior a category in 'priors:'", top)
            failed = true
        }
        guard !failed, let threshold, let bias else { return nil }
        var model = SafetyModel(threshold: threshold, bias: bias, categories: categories, priors: priors, terms: terms)
        if let (print, line) = examples { (model.examples, model.examplesLine) = (print, line) }
        return model
    }
}

extension SafetyModel {
    /// A term line's term and numbers (read as bytes: a model has thousands of them); nil when it is not the term,
    /// a tab, a number, a tab and `categories` numbers between single spaces.
    static func termLine(_ bytes: UnsafeBufferPointer<UInt8>, categories: Int) -> (term: String, entry: Term)? {
        guard let firstTab = bytes.firstIndex(of: 9), firstTab > 0 else { return nil }
        var numbers: [Double] = []
        numbers.reserveCapacity(categories + 1)
        var start = firstTab + 1
        var index = start
        var separators: [UInt8] = []
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 9 || bytes[index] == 32 {
                guard let value = number(UnsafeBufferPointer(rebasing: bytes[start..<index])) else { return nil }
                numbers.append(value)
                if index < bytes.count { separators.append(bytes[index]) }
                start = index + 1
            }
            index += 1
        }
        guard numbers.count == categories + 1, separators.first == 9, !separators.dropFirst().contains(9) else {
            return nil
        }
        let term = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<firstTab]), as: UTF8.self)
        return (term, Term(weight: numbers[0], likelihoods: Array(numbers.dropFirst())))
    }

    /// A finite number as `strtod` reads it (`-1.25`, `2e-3`); nil for anything else, and for infinity or NaN.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 32 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 33) { buffer in
            for (offset, byte) in bytes.enumerated() {
                guard (byte >= 48 && byte <= 57) || byte == 45 || byte == 46 || byte == 43 || byte == 101 || byte == 69
                else { return nil }
                buffer[offset] = CChar(bitPattern: byte)
            }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + bytes.count && value.isFinite ? value : nil
        }
    }

    /// The lines of `text`, split on LF, CR LF or CR as bytes (thousands of lines: no grapheme breaking), without a
    /// byte-order mark.
    static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? utf8.index(utf8.startIndex, offsetBy: 3) : utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 10 || byte == 13 {
                lines.append(Substring(utf8[start..<index]))
                let next = utf8.index(after: index)
                index = byte == 13 && next < utf8.endIndex && utf8[next] == 10 ? utf8.index(after: next) : next
                start = index
            } else {
                index = utf8.index(after: index)
            }
        }
        lines.append(Substring(utf8[start..<utf8.endIndex]))
        return lines
    }
}
