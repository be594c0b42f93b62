import CRDKafka
import Synchronization

/// The `rd_kafka_message_t`s of one consumer poll, owned until the last reference goes
/// (then each is `rd_kafka_message_destroy`ed). Their payloads, keys and headers stay in
/// librdkafka's fetch buffers: nothing is copied unless a caller asks for a copy.
///
/// `@unchecked Sendable`: the message pointers are fixed at init and librdkafka does not
/// change a message once it has been handed out, with one exception guarded here: the
/// headers are parsed on first access (`rd_kafka_message_headers` writes into the message),
/// so header reads take `headerLock`. The batch keeps its consumer handle alive: the
/// handle's destroy waits for the last batch (``RDKafkaClient/destroy()``).
final class RDKafkaMessageBatch: @unchecked Sendable {
    let client: RDKafkaClient
    let messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>
    /// The topic of each message (librdkafka's name, made a `String` once per run of a topic).
    let topics: [String]
    private let headerLock = Mutex<Void>(())

    /// Takes ownership of the first `count` messages of `pointers` (all without error).
    init(client: RDKafkaClient, taking pointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>) {
        self.client = client
        self.messages = pointers
        var topics: [String] = []
        topics.reserveCapacity(pointers.count)
        var lastTopic: OpaquePointer?
        var lastName = ""
        for message in pointers {
            let rkt = message.pointee.rkt
            if rkt != lastTopic {
                lastTopic = rkt
                lastName = rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            }
            topics.append(lastName)
        }
        self.topics = topics
        client.batchCreated()
    }

    deinit {
        for message in messages {
            rd_kafka_message_destroy(message)
        }
        messages.deallocate()
        client.batchReleased()
    }

    var count: Int { messages.count }

    /// The payload of message `index` (empty for a null value), valid while `self` lives.
    func value(at index: Int) -> UnsafeRawBufferPointer {
        let message = messages[index].pointee
        return UnsafeRawBufferPointer(start: message.payload, count: message.payload == nil ? 0 : message.len)
    }

    /// The key of message `index`, nil without one; valid while `self` lives.
    func key(at index: Int) -> UnsafeRawBufferPointer? {
        let message = messages[index].pointee
        guard let key = message.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.key_len)
    }

    func partition(at index: Int) -> Int32 { messages[index].pointee.partition }

    func offset(at index: Int) -> Int64 { messages[index].pointee.offset }

    func timestampMilliseconds(at index: Int) -> Int64? {
        let timestamp = rd_kafka_message_timestamp(messages[index], nil)
        return timestamp >= 0 ? timestamp : nil
    }

    /// Copies of all headers of message `index`, in order.
    func headers(at index: Int) -> [KafkaHeader] {
        headerLock.withLock { _ in
            var list: OpaquePointer?
            guard rd_kafka_message_headers(messages[index], &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                return []
            }
            var headers: [KafkaHeader] = []
            var position = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, position, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
                position += 1
            }
            return headers
        }
    }
}
