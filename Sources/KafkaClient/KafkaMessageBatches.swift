/// Consumed message batches as an `AsyncSequence` (one element = one poll batch).
///
/// Buffering is unbounded: batches the caller has not consumed yet stay in memory.
/// The sequence finishes when the session shuts down or the subscription/assignment
/// is replaced.
public struct KafkaMessageBatches: AsyncSequence, Sendable {
    public typealias Element = [ConsumedMessage]

    private let stream: AsyncStream<[ConsumedMessage]>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<[ConsumedMessage]>.AsyncIterator

        public mutating func next() async -> [ConsumedMessage]? {
            await base.next()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> [ConsumedMessage]? {
            await base.next(isolation: actor)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator())
    }

    static func make() -> (KafkaMessageBatches, KafkaSession.MessageSink) {
        let (stream, continuation) = AsyncStream<[ConsumedMessage]>.makeStream(bufferingPolicy: .unbounded)
        let sink = KafkaSession.MessageSink(
            deliver: { batch in continuation.yield(batch.consumedMessages) },
            finish: { continuation.finish() }
        )
        return (KafkaMessageBatches(stream: stream), sink)
    }
}
