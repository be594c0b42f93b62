import KafkaWire
import NIOCore
@testable import EmbeddedBroker

extension PartitionLog {
    /// Appends and, when `sync`, syncs the file at once (the broker syncs through `SyncScheduler`).
    /// Returns the first assigned offset.
    func append(_ batches: [(header: RecordBatchHeader, bytes: ByteBuffer)], sync: Bool) throws -> Int64 {
        let (base, file) = try append(batches)
        if sync { try file.sync() }
        return base
    }
}
