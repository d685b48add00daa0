extension Matcher.IndexBuilder {
    /// The key of each title and example question read (`Matcher.exampleKey`: its set of terms), in the order they
    /// were read, topic after topic: one block of bytes, with no hash table while the topics are read. The keys
    /// are numbered once, at the end (`table()`): of 10,000 topics (100,000 example questions), a numbering of
    /// each builder's keys held while the topics were read took about 2.3 MiB, the keys as they were read about
    /// 0.8.
    struct ExampleKeys: Equatable {
        /// Key `i` is `bytes[ends[i - 1] ..< ends[i]]` (from 0 for the first).
        private(set) var bytes: [UInt8] = []
        private(set) var ends: [UInt32] = []
        /// Each topic's first key, by topic number (every topic has a title, so every topic has a key).
        private(set) var topicStarts: [UInt32] = []

        init() {}

        /// How many keys were read (one for each title and example question, the same key as often as it is read).
        var count: Int { ends.count }

        /// How many topics have keys.
        var topicCount: Int { topicStarts.count }

        /// Adds the key of a title or an example question of topic `topic`: the topic of the last key, or the next
        /// topic.
        mutating func add(_ key: UnsafeBufferPointer<UInt8>, topic: Int) {
            precondition(topic == topicCount - 1 || topic == topicCount, "keys are added topic after topic")
            if topic == topicCount { topicStarts.append(UInt32(count)) }
            bytes.append(contentsOf: key)
            ends.append(UInt32(bytes.count))
        }

        /// Key `index`'s bytes, valid only inside `body`.
        func withKey<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            let start = index == 0 ? 0 : Int(ends[index - 1])
            return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<Int(ends[index])])) }
        }

        /// Each key with its topic, in the order they were added.
        func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int32) -> Void) {
            var topic = -1
            for index in 0..<count {
                while topic + 1 < topicCount && Int(topicStarts[topic + 1]) <= index { topic += 1 }
                withKey(index) { body($0, Int32(topic)) }
            }
        }

        /// Adds the keys of `other` (read from other stems: its stem `s` is stem `stems[s]` here) after these, as
        /// if they were read here: each key is made again from its stems' numbers here, and its topics come after
        /// these topics.
        mutating func append(_ other: ExampleKeys, stems: [Int32]) {
            let first = UInt32(count)
            bytes.reserveCapacity(bytes.count + other.bytes.count)
            ends.reserveCapacity(count + other.count)
            for start in other.topicStarts { topicStarts.append(first + start) }
            var keyStems: [Int32] = []
            var key: [UInt8] = []
            for index in 0..<other.count {
                keyStems.removeAll(keepingCapacity: true)
                other.withKey(index) { Matcher.forEachStem(ofExampleKey: $0) { keyStems.append(stems[Int($0)]) } }
                key.removeAll(keepingCapacity: true)
                Matcher.exampleKey(&keyStems, into: &key)
                bytes += key
                ends.append(UInt32(bytes.count))
            }
        }

        /// The example table: the distinct keys, numbered in the order first read, and each key's topics (each
        /// once, in topic order) as `documents[starts[key] ..< starts[key + 1]]`. These keys are emptied once
        /// numbered, before the rest of the table is made.
        mutating func takeTable() -> (keys: StringList, starts: [Int32], documents: [Int32]) {
            var numbering = StringNumbering(dense: true)
            // The last topic noted for each key, so that a topic is noted once for a key.
            var lastTopic: [Int32] = []
            var pairs: [(key: Int32, topic: Int32)] = []
            pairs.reserveCapacity(count)
            forEach { key, topic in
                let (number, isNew) = numbering.add(key)
                if isNew { lastTopic.append(-1) }
                if lastTopic[Int(number)] != topic {
                    lastTopic[Int(number)] = topic
                    pairs.append((number, topic))
                }
            }
            self = ExampleKeys()
            lastTopic = []
            let keys = numbering.takeList()
            var starts = [Int32](repeating: 0, count: keys.count + 1)
            for (key, _) in pairs { starts[Int(key) + 1] += 1 }
            for key in 0..<keys.count { starts[key + 1] += starts[key] }
            var documents = [Int32](repeating: 0, count: pairs.count)
            var next = Array(starts.dropLast())
            for (key, topic) in pairs {
                documents[Int(next[Int(key)])] = topic
                next[Int(key)] += 1
            }
            return (keys, starts, documents)
        }
    }
}
