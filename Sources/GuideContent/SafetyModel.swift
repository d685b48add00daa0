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

    public init(threshold: Double, bias: Double, categories: [String], priors: [Double], terms: [String: Term]) {
        self.threshold = threshold
        self.bias = bias
        self.categories = categories
        self.priors = priors
        self.terms = terms
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
        func fail(_ line: Int, _ column: Int, _ message: String) {
            error("K060", message, SourceLocation(file: file, line: line, column: column))
            failed = true
        }
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        let lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.isEmpty || line.hasPrefix("//") { continue }
            if line == "== terms" {
                inTerms = true
                continue
            }
            if inTerms {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                let likelihoods = fields.count == 3 ? fields[2].split(separator: " ").compactMap { Double($0) } : []
                guard fields.count == 3, !fields[0].isEmpty, let weight = Double(fields[1]),
                      likelihoods.count == categories.count, fields[2].split(separator: " ").count == categories.count
                else {
                    fail(number, 1, "a term line is the term, a tab, its weight, a tab and \(categories.count) numbers (one a category)")
                    continue
                }
                terms[String(fields[0])] = SafetyModel.Term(weight: weight, likelihoods: likelihoods)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                fail(number, 1, "expected 'threshold:', 'bias:', 'categories:', 'priors:' or '== terms'")
                continue
            }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " ")
            let column = line.distance(from: line.startIndex, to: colon) + 3
            switch key {
            case "threshold":
                threshold = Double(value)
                if threshold == nil { fail(number, column, "'threshold:' needs a number") }
            case "bias":
                bias = Double(value)
                if bias == nil { fail(number, column, "'bias:' needs a number") }
            case "categories":
                categories = value.commaList()
            case "priors":
                priors = value.split(separator: " ").compactMap { Double($0) }
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
        return SafetyModel(threshold: threshold, bias: bias, categories: categories, priors: priors, terms: terms)
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> String {
        var text = self
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
