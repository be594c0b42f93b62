/// Kafka protocol error codes used by this project (int16 on the wire).
public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let none = Self(rawValue: 0)
    public static let offsetOutOfRange = Self(rawValue: 1)
    public static let corruptMessage = Self(rawValue: 2)
    public static let unknownTopicOrPartition = Self(rawValue: 3)
    public static let invalidFetchSize = Self(rawValue: 4)
    public static let leaderNotAvailable = Self(rawValue: 5)
    public static let notLeaderOrFollower = Self(rawValue: 6)
    public static let requestTimedOut = Self(rawValue: 7)
    public static let messageTooLarge = Self(rawValue: 10)
    public static let coordinatorNotAvailable = Self(rawValue: 15)
    public static let notCoordinator = Self(rawValue: 16)
    public static let invalidTopicException = Self(rawValue: 17)
    public static let recordListTooLarge = Self(rawValue: 18)
    public static let invalidRequiredAcks = Self(rawValue: 21)
    public static let illegalGeneration = Self(rawValue: 22)
    public static let inconsistentGroupProtocol = Self(rawValue: 23)
    public static let invalidGroupId = Self(rawValue: 24)
    public static let unknownMemberId = Self(rawValue: 25)
    public static let invalidSessionTimeout = Self(rawValue: 26)
    public static let rebalanceInProgress = Self(rawValue: 27)
    public static let unsupportedVersion = Self(rawValue: 35)
    public static let topicAlreadyExists = Self(rawValue: 36)
    public static let invalidPartitions = Self(rawValue: 37)
    public static let invalidReplicationFactor = Self(rawValue: 38)
    public static let invalidRequest = Self(rawValue: 42)
    public static let unsupportedForMessageFormat = Self(rawValue: 43)
    public static let policyViolation = Self(rawValue: 44)
    public static let transactionalIdAuthorizationFailed = Self(rawValue: 53)
    public static let groupMaxSizeReached = Self(rawValue: 81)
    public static let invalidRecord = Self(rawValue: 87)
    public static let memberIdRequired = Self(rawValue: 79)
    public static let groupIdNotFound = Self(rawValue: 69)
    public static let nonEmptyGroup = Self(rawValue: 68)
    public static let kafkaStorageError = Self(rawValue: 56)
    public static let unknownServerError = Self(rawValue: -1)

    public var description: String { "KafkaErrorCode(\(rawValue))" }
}
