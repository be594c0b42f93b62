import ChatKafka
import ChatModel
import Foundation
import KafkaClient

extension ModeratorService {
    /// The consumer group whose members decide blocks, one `chat_control` partition each.
    public static let blocksGroupID = "kchat-moderator-blocks"

    /// Reads `chat_control` as a member of `blocksGroupID` (each assigned partition from the
    /// beginning, never committing: the decision needs the user's whole history) and publishes
    /// the blocks ``BlockDecider`` hands out, each acknowledged before the next batch. Starts again
    /// after a failure; returns when cancelled.
    func decideBlocks(warningLimit: Int) async {
        while !Task.isCancelled {
            do {
                try await decideBlocksOnce(warningLimit: warningLimit)
            } catch {
                if Task.isCancelled { return }
                logger.error("block decisions failed: \(error); starting again from the beginning of \(configuration.topics.control)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func decideBlocksOnce(warningLimit: Int) async throws {
        var kafka = configuration
        kafka.clientID += "-blocks"
        let connection = try ChatConnection(kafka, logger: logger)
        let topic = configuration.topics.control
        var decider = BlockDecider(warningLimit: warningLimit)
        do {
            try await withTaskCancellationHandler {
                for try await batch in try connection.session.subscribe(topics: [topic], groupID: Self.blocksGroupID) {
                    var last: [Int32: Int64] = [:]
                    for record in batch {
                        last[record.partition] = max(last[record.partition] ?? -1, record.offset)
                        do {
                            decider.apply(try record.controlEvent(), partition: record.partition)
                        } catch {
                            logger.notice("skipped \(record.position): \(error)")
                        }
                    }
                    let waiting = last.keys.filter { decider.hasPending(in: $0) }
                    guard !waiting.isEmpty else { continue }
                    // Decide only on a partition read to its end: a block published earlier (by
                    // us before a restart, or by the partition's previous owner) is then known.
                    let ends = try await connection.session.endOffsets(topic: topic)
                    for partition in waiting where (last[partition] ?? -1) + 1 >= ends[partition] ?? 0 {
                        for block in decider.caughtUp(partition: partition) {
                            logger.info("\(block.user) is blocked: \(block.warnings ?? 0) warnings of \(warningLimit)")
                            try await connection.publish(block)
                        }
                    }
                }
            } onCancel: {
                Task { await connection.shutdown() }
            }
        } catch {
            await connection.shutdown()
            throw error
        }
        await connection.shutdown()
    }
}
