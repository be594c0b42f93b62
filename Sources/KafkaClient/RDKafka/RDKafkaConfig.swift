import CRDKafka

/// Builds `rd_kafka_conf_t` objects.
enum RDKafkaConfig {
    /// A new `rd_kafka_conf_t` with `properties` applied; the caller owns it until `rd_kafka_new` succeeds.
    static func make(properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .fatal, reason: "rd_kafka_conf_new failed")
        }
        // Apply in a stable order so that aliases ("linger.ms" vs
        // "queue.buffering.max.ms") resolve the same way every run.
        for key in properties.keys.sorted() {
            do {
                try set(conf, key: key, value: properties[key]!)
            } catch {
                rd_kafka_conf_destroy(conf)
                throw error
            }
        }
        return conf
    }

    static func set(_ conf: OpaquePointer, key: String, value: String) throws(KafkaError) {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
        guard result == RD_KAFKA_CONF_OK else {
            let reason = String(cBuffer: errorBuffer)
            throw KafkaError(
                code: .invalidConfiguration,
                reason: reason.isEmpty ? "invalid property \(key)=\(value)" : reason
            )
        }
    }

    /// Validates properties without creating a client (used by `KafkaConfiguration.validate()`).
    static func validate(properties: [String: String]) throws(KafkaError) {
        let conf = try make(properties: properties)
        rd_kafka_conf_destroy(conf)
    }

    /// librdkafka's version string, e.g. "2.0.2".
    static var librdkafkaVersion: String {
        String(cString: rd_kafka_version_str())
    }
}
