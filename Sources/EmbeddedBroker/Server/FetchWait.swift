import KafkaWire
import NIOCore

/// One Fetch request. It is answered at once when enough data is there (min_bytes) or when
/// max_wait is 0; otherwise it registers with the partitions it reads and is answered as soon
/// as any of them gets new data that makes min_bytes, or when max_wait runs out. While waiting,
/// appends are measured from the index (no reads), so a large min_bytes costs little.
/// Confined to the event loop of the connection that sent it.
final class FetchWait {
    private let request: FetchRequest
    private let context: BrokerContext
    private let eventLoop: EventLoop
    private let promise: EventLoopPromise<FetchResponse>
    private let id: UInt64
    private var registered: [PartitionLog] = []
    /// Each readable partition and the offset the request reads it from.
    private var watched: [(log: PartitionLog, from: Int64)] = []
    private var timeout: Scheduled<Void>?
    private var done = false

    private init(_ request: FetchRequest, context: BrokerContext, eventLoop: EventLoop) {
        self.request = request
        self.context = context
        self.eventLoop = eventLoop
        self.promise = eventLoop.makePromise()
        self.id = context.nextWaiterID()
    }

    /// Answers `request` on `eventLoop` (where a wait lives; called elsewhere, it hops there first).
    static func start(_ request: FetchRequest, context: BrokerContext, on eventLoop: EventLoop) -> EventLoopFuture<FetchResponse> {
        guard eventLoop.inEventLoop else {
            return eventLoop.flatSubmit { start(request, context: context, on: eventLoop) }
        }
        let wait = FetchWait(request, context: context, eventLoop: eventLoop)
        let (response, bytes, ends) = wait.read(allocator: ByteBufferAllocator())
        if bytes >= Int(request.minBytes) || request.maxWaitMs <= 0 || ends.isEmpty { // safe: widening
            wait.complete(response)
            return wait.promise.futureResult
        }
        wait.timeout = eventLoop.scheduleTask(in: .milliseconds(Int64(request.maxWaitMs))) { wait.finish() } // safe: widening
        wait.register(ends)
        return wait.promise.futureResult
    }

    /// Reads every requested partition; returns the response, its record bytes and, for each
    /// readable partition, the end offset seen (for waiting).
    private func read(allocator: ByteBufferAllocator) -> (FetchResponse, Int, [(PartitionLog, Int64)]) {
        // The client's max_bytes and partition_max_bytes, capped to the broker's maximum; the
        // first partition with data still returns at least one whole batch (as Kafka does).
        let cap = context.configuration.maxFetchBytes
        var budget = min(Int(request.maxBytes), cap) // safe: widening
        var total = 0
        var ends: [(PartitionLog, Int64)] = []
        watched.removeAll(keepingCapacity: true)
        let topics = request.topics.map { topic in
            FetchResponse.Topic(topic: topic.topic, partitions: topic.partitions.map { partition in
                guard let log = context.topics.partition(topic.topic, partition.partition) else {
                    return .init(partitionIndex: partition.partition, errorCode: .unknownTopicOrPartition,
                                 highWatermark: -1, logStartOffset: -1, records: [])
                }
                if budget <= 0, total > 0 {
                    return .init(partitionIndex: partition.partition, errorCode: .none, highWatermark: log.highWatermark,
                                 logStartOffset: log.logStartOffset, records: [])
                }
                let limit = min(Int(partition.partitionMaxBytes), cap, max(budget, 1)) // safe: widening
                let result = log.read(from: partition.fetchOffset, maxBytes: limit, allocator: allocator)
                if result.error == .none {
                    ends.append((log, result.highWatermark))
                    watched.append((log, partition.fetchOffset))
                }
                let bytes = result.bytes
                budget -= bytes
                total += bytes
                return .init(partitionIndex: partition.partition, errorCode: result.error, highWatermark: result.highWatermark,
                             logStartOffset: result.logStartOffset, records: result.records)
            })
        }
        return (FetchResponse(topics: topics), total, ends)
    }

    private func register(_ ends: [(PartitionLog, Int64)]) {
        // Appends wake it from any thread; it runs on its loop.
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        for (log, end) in ends {
            let added = log.addWaiter(id: id, seenEnd: end) { [eventLoop] in
                eventLoop.execute { bound.value.wake() }
            }
            if added {
                registered.append(log)
            } else {
                eventLoop.execute { self.wake() }
                return
            }
        }
    }

    private func unregister() {
        for log in registered { log.removeWaiter(id: id) }
        registered.removeAll()
    }

    private func wake() {
        guard !done else { return }
        unregister()
        // Counted without reading; a deleted partition (nil) is answered by the read below.
        let available = watched.map { $0.log.bytesAvailable(from: $0.from) }
        if available.allSatisfy({ $0 != nil }), available.reduce(0, { $0 + $1!.bytes }) < Int(request.minBytes) { // safe: widening
            register(zip(watched, available).map { ($0.log, $1!.end) })
            return
        }
        let (response, bytes, ends) = read(allocator: ByteBufferAllocator())
        if bytes >= Int(request.minBytes) || ends.isEmpty { // safe: widening
            complete(response)
        } else {
            register(ends)
        }
    }

    private func finish() {
        guard !done else { return }
        unregister()
        complete(read(allocator: ByteBufferAllocator()).0)
    }

    private func complete(_ response: FetchResponse) {
        done = true
        timeout?.cancel()
        promise.succeed(response)
    }
}
