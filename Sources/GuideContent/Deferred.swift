#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value made once: given, or computed later, either on a thread of its own (`start()`) or by the first reader,
/// whichever comes first. Reading it waits until it is made.
package final class Deferred<Value: Sendable>: @unchecked Sendable {
    /// From this many topics on, work done once for each topic (reading the files, indexing them) is split over
    /// two threads: below it, a thread costs more than it saves.
    package static var topicsForTwoThreads: Int { 64 }

    private enum State {
        case pending(@Sendable () -> Value)
        case running
        case made(Value)
    }

    // `state` is read and written only under `monitor`'s lock.
    private let monitor = Monitor()
    private var state: State

    package init(value: Value) {
        state = .made(value)
    }

    package init(later work: @escaping @Sendable () -> Value) {
        state = .pending(work)
    }

    /// Starts computing the value on a new thread, unless it is made or being made. When no thread can start,
    /// the first reader computes it.
    package func start() {
        monitor.lock()
        guard case .pending(let work) = state else {
            monitor.unlock()
            return
        }
        state = .running
        monitor.unlock()
        let job = Unmanaged.passRetained(DeferredJob { [self] in self.fulfil(work()) })
        if !Deferred.startThread(job.toOpaque()) {
            job.release()
            monitor.lock()
            state = .pending(work)
            monitor.broadcast()
            monitor.unlock()
        }
    }

    /// The value, once it is made; computed on this thread when no one has started it.
    package var value: Value {
        monitor.lock()
        while true {
            switch state {
            case .made(let value):
                monitor.unlock()
                return value
            case .running:
                monitor.wait()
            case .pending(let work):
                state = .running
                monitor.unlock()
                let value = work()
                fulfil(value)
                return value
            }
        }
    }

    /// Returns once the value is made.
    package func wait() { _ = value }

    private func fulfil(_ value: Value) {
        monitor.lock()
        state = .made(value)
        monitor.broadcast()
        monitor.unlock()
    }

    /// Starts a detached thread that runs the retained `DeferredJob` at `context` (and releases it).
    private static func startThread(_ context: UnsafeMutableRawPointer) -> Bool {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return false }
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        return pthread_create(&thread, &attributes, runDeferredJob, context) == 0
    }
}

/// A value one thread gives and another takes, waiting for it.
package final class Handoff<Value>: @unchecked Sendable {
    // `value` is read and written only under `monitor`'s lock.
    private let monitor = Monitor()
    private var value: Value?

    package init() {}

    package func give(_ value: Value) {
        monitor.lock()
        self.value = value
        monitor.broadcast()
        monitor.unlock()
    }

    /// The value, once given (then no longer held here).
    package func take() -> Value {
        monitor.lock()
        defer { monitor.unlock() }
        while value == nil { monitor.wait() }
        defer { value = nil }
        return value!
    }
}

/// A lock and its condition, in memory of their own (never moved, as pthreads requires).
package final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a `broadcast`, the lock held before and after.
    package func wait() { pthread_cond_wait(condition, mutex) }
    package func broadcast() { pthread_cond_broadcast(condition) }
}

/// The work of a `Deferred` thread, handed to it retained.
private final class DeferredJob {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// The entry point of a `Deferred` thread.
#if canImport(Glibc)
private func runDeferredJob(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<DeferredJob>.fromOpaque(context!).takeRetainedValue().run()
    return nil
}
#else
private func runDeferredJob(_ context: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    Unmanaged<DeferredJob>.fromOpaque(context).takeRetainedValue().run()
    return nil
}
#endif
