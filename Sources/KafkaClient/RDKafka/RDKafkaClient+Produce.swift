import CRDKafka

extension RDKafkaClient {
    /// What one producer poll iteration collected.
    struct PolledEvents {
        var reports: [DeliveryReport] = []
        var notifications: [RDKafkaNotification] = []

        var isEmpty: Bool { reports.isEmpty && notifications.isEmpty }

        mutating func removeAll() {
            reports.removeAll(keepingCapacity: true)
            notifications.removeAll(keepingCapacity: true)
        }
    }

    /// Enqueues one message (`rd_kafka_produceva`, payload copied). Never blocks;
    /// the outcome arrives later as a delivery report carrying `token`.
    func produce(
        topic: String,
        partition: Int32?,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        token: UInt64
    ) throws(KafkaError) {
        precondition(kind == .producer, "produce on a consumer handle")
        var headerList: OpaquePointer?
        if !headers.isEmpty {
            headerList = rd_kafka_headers_new(headers.count)
            for header in headers {
                let added = header.value.withUnsafeBufferPointerOrNil { bytes in
                    rd_kafka_header_add(headerList, header.key, -1, bytes?.baseAddress, bytes?.count ?? 0)
                }
                if added != RD_KAFKA_RESP_ERR_NO_ERROR {
                    rd_kafka_headers_destroy(headerList)
                    throw KafkaError(rdKafka: added)
                }
            }
        }

        let error: OpaquePointer? = topic.withCString { topicName in
            value.withUnsafeBytes { valueBytes in
                key.withUnsafeBufferPointerOrNil { keyBytes in
                    // On the stack: no array allocated per message.
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { args in
                        var count = 0
                        func append(_ configure: (inout rd_kafka_vu_t) -> Void) {
                            var arg = rd_kafka_vu_t()
                            configure(&arg)
                            args.initializeElement(at: count, to: arg)
                            count += 1
                        }
                        append { $0.vtype = RD_KAFKA_VTYPE_TOPIC; $0.u.cstr = topicName }
                        append { $0.vtype = RD_KAFKA_VTYPE_PARTITION; $0.u.i32 = partition ?? RDKafkaTopicPartitionList.partitionUnassigned }
                        append { $0.vtype = RD_KAFKA_VTYPE_MSGFLAGS; $0.u.i = Int32(RD_KAFKA_MSG_F_COPY) }  // safe: a C constant, or widening Int32 -> Int
                        append {
                            $0.vtype = RD_KAFKA_VTYPE_VALUE
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                            $0.u.mem.size = valueBytes.count
                        }
                        if let keyBytes {
                            append {
                                $0.vtype = RD_KAFKA_VTYPE_KEY
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                                $0.u.mem.size = keyBytes.count
                            }
                        }
                        append { $0.vtype = RD_KAFKA_VTYPE_OPAQUE; $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token)) }
                        if let headerList {
                            append { $0.vtype = RD_KAFKA_VTYPE_HEADERS; $0.u.headers = headerList }
                        }
                        return rd_kafka_produceva(handle, args.baseAddress, count)
                    }
                }
            }
        }
        if let error {
            // On failure the message (and thus the headers) was not taken over.
            if let headerList { rd_kafka_headers_destroy(headerList) }
            throw KafkaError.consuming(error)
        }
    }

    /// Serves the producer's event queue: waits up to `timeoutMilliseconds` for the
    /// first event, then drains whatever else is ready (up to `maxEvents`), so that
    /// delivery reports come out in batches.
    func pollEvents(timeoutMilliseconds: Int32, maxEvents: Int, into result: inout PolledEvents) {
        guard let queue else { return }
        var timeout = timeoutMilliseconds
        for _ in 0..<max(maxEvents, 1) {
            guard let event = rd_kafka_queue_poll(queue, timeout) else { return }
            timeout = 0
            switch rd_kafka_event_type(event) {
            case Int32(RD_KAFKA_EVENT_DR):  // safe: a C constant, or widening Int32 -> Int
                while let message = rd_kafka_event_message_next(event) {
                    result.reports.append(Self.deliveryReport(message.pointee))
                }
            case Int32(RD_KAFKA_EVENT_ERROR):  // safe: a C constant, or widening Int32 -> Int
                result.notifications.append(errorNotification(event))
            default:
                break
            }
            rd_kafka_event_destroy(event)
        }
    }

    private static func deliveryReport(_ message: rd_kafka_message_t) -> DeliveryReport {
        let token = UInt64(UInt(bitPattern: message._private))
        let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            let offset = message.offset >= 0 ? message.offset : nil
            return DeliveryReport(token: token, topic: topic, partition: message.partition, offset: offset, result: .acknowledged)
        }
        return DeliveryReport(
            token: token, topic: topic, partition: message.partition, offset: nil,
            result: .failed(KafkaError(rdKafka: message.err))
        )
    }

    private func errorNotification(_ event: OpaquePointer) -> RDKafkaNotification {
        if rd_kafka_event_error_is_fatal(event) != 0 {
            var buffer = [CChar](repeating: 0, count: 512)
            let code = rd_kafka_fatal_error(handle, &buffer, buffer.count)
            return .fatal(KafkaError(rdKafka: code, reason: String(cBuffer: buffer)))
        }
        let code = rd_kafka_event_error(event)
        let reason = rd_kafka_event_error_string(event).map { String(cString: $0) }
        return .error(KafkaError(rdKafka: code, reason: reason))
    }

    /// Waits until every enqueued message got its delivery report (served by the poll
    /// thread). Returns false on timeout.
    func flush(timeoutMilliseconds: Int32) -> Bool {
        rd_kafka_flush(handle, timeoutMilliseconds) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Fails every queued and in-flight message with `.purged`; their reports follow on the queue.
    func purgeAll() {
        rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))  // safe: a C constant, or widening Int32 -> Int
    }

    /// Messages (and requests) librdkafka still holds.
    var outstandingCount: Int {
        Int(rd_kafka_outq_len(handle))  // safe: a C constant, or widening Int32 -> Int
    }

    /// True if some broker answers a (topic-less) Metadata request within the timeout.
    func probeBrokers(timeoutMilliseconds: Int32) -> Bool {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 0, nil, &metadata, timeoutMilliseconds)
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        return error == RD_KAFKA_RESP_ERR_NO_ERROR
    }
}

extension Optional where Wrapped == [UInt8] {
    func withUnsafeBufferPointerOrNil<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        switch self {
        case .some(let bytes): return bytes.withUnsafeBufferPointer { body($0) }
        case .none: return body(nil)
        }
    }
}
