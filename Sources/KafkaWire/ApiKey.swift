/// The Kafka APIs this project speaks, with the (non-flexible) versions the broker advertises.
public enum ApiKey: Int16, CaseIterable, Sendable {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case describeGroups = 15
    case listGroups = 16
    case saslHandshake = 17
    case apiVersions = 18
    case createTopics = 19
    case deleteTopics = 20
    case initProducerId = 22
    case saslAuthenticate = 36

    /// Versions this project decodes and answers. Only non-flexible versions are listed, so that
    /// librdkafka 2.0.2, newer librdkafka and kafka-python all pick versions we implement.
    public var supportedVersions: ClosedRange<Int16> {
        switch self {
        case .produce: 3...7
        case .fetch: 4...11
        case .listOffsets: 0...2
        case .metadata: 0...4
        case .offsetCommit: 0...7
        case .offsetFetch: 0...5
        case .findCoordinator: 0...2
        case .joinGroup: 0...5
        case .heartbeat: 0...3
        case .leaveGroup: 0...1
        case .syncGroup: 0...3
        case .describeGroups: 0...4
        case .listGroups: 0...2
        case .apiVersions: 0...2
        case .createTopics: 0...4
        case .deleteTopics: 0...1
        case .initProducerId: 0...1
        case .saslHandshake: 0...1
        case .saslAuthenticate: 0...1
        }
    }

}
