import ChatModel
import EmbeddedBroker

/// kchat's authorization rules: ONE table, enforced by the embedded broker (as its
/// `BrokerAuthorizer`) and printed as `kafka-acls` commands for a real cluster (`kchat acls`),
/// so the two cannot drift.
///
/// Semantics are Kafka's: a DENY rule that matches wins over every ALLOW; an ALLOW of Read,
/// Write or Delete implies Describe. Services are Kafka `super.users` (everything, no rule
/// checked, deny rules included).
public struct KChatAcls: BrokerAuthorizer {
    public enum Permission: String, Sendable { case allow = "ALLOW", deny = "DENY" }

    /// What a rule applies to.
    public enum Pattern: Sendable, Equatable {
        case topic(String)
        /// The principal's own inbox: `<prefix>_inbox.<principal name>` (Kafka ACLs cannot
        /// name the principal in a resource: printed once per user, as a template).
        case ownInbox(prefix: String)
        case anyGroup
        case groupPrefix(String)
        case cluster

        func matches(_ resource: AclResource, principal: Principal) -> Bool {
            switch (self, resource) {
            case (.topic(let name), .topic(let topic)): name == topic
            case (.ownInbox(let prefix), .topic(let topic)): topic == prefix + "_inbox." + principal.name
            case (.anyGroup, .group): true
            case (.groupPrefix(let prefix), .group(let group)): group.hasPrefix(prefix)
            case (.cluster, .cluster): true
            default: false
            }
        }
    }

    public struct Rule: Sendable, Equatable {
        public var kinds: [Principal.Kind]
        public var permission: Permission
        public var operations: [AclOperation]
        public var pattern: Pattern
        /// Why the rule exists (printed with it).
        public var reason: String
    }

    public let topics: TopicNames
    public let rules: [Rule]

    /// The group prefix of kchat's own services' consumer groups (`kchat-moderator`,
    /// `kchat-moderator-blocks`, `kchat-store`).
    public static let serviceGroupPrefix = "kchat-"

    public init(topics: TopicNames = TopicNames()) {
        self.topics = topics
        let people: [Principal.Kind] = [.user, .admin]
        rules = [
            Rule(kinds: people, permission: .allow, operations: [.write], pattern: .topic(topics.chat),
                 reason: "send messages (the moderator copies them to \(topics.controlled))"),
            Rule(kinds: people, permission: .allow, operations: [.idempotentWrite], pattern: .cluster,
                 reason: "idempotent producers (librdkafka's default with acks=all)"),
            Rule(kinds: people, permission: .allow, operations: [.read], pattern: .topic(topics.controlled),
                 reason: "read moderated messages"),
            Rule(kinds: people, permission: .allow, operations: [.read], pattern: .topic(topics.control),
                 reason: "read blocks and unblocks"),
            Rule(kinds: people, permission: .allow, operations: [.read], pattern: .topic(topics.channels),
                 reason: "read the channel directory"),
            Rule(kinds: people, permission: .allow, operations: [.read], pattern: .ownInbox(prefix: topics.prefix),
                 reason: "read one's own inbox"),
            Rule(kinds: people, permission: .allow, operations: [.read], pattern: .anyGroup,
                 reason: "consume with any consumer group ..."),
            Rule(kinds: people, permission: .deny, operations: [.read], pattern: .groupPrefix(Self.serviceGroupPrefix),
                 reason: "... but not the services' groups (joining kchat-moderator would steal its partitions)"),
            Rule(kinds: [.admin], permission: .allow, operations: [.write], pattern: .topic(topics.control),
                 reason: "block and unblock users"),
            Rule(kinds: [.admin], permission: .allow, operations: [.write], pattern: .topic(topics.channels),
                 reason: "delete channels"),
            Rule(kinds: [.admin], permission: .allow, operations: [.read], pattern: .topic(topics.deadLetter),
                 reason: "inspect dead letters"),
        ]
    }

    public func authorize(_ principal: Principal, _ operation: AclOperation, _ resource: AclResource) -> Bool {
        if principal.kind == .service { return true }
        let matching = rules.filter { $0.kinds.contains(principal.kind) && $0.pattern.matches(resource, principal: principal) }
        if matching.contains(where: { $0.permission == .deny && $0.operations.contains(operation) }) { return false }
        return matching.contains { rule in
            rule.permission == .allow && (rule.operations.contains(operation)
                || (operation == .describe && rule.operations.contains { [.read, .write, .delete].contains($0) }))
        }
    }

    /// The rules as `kafka-acls` commands. Users are every authenticated principal (`User:*`),
    /// admins the named ones, the service principal a super user.
    public func kafkaAclsCommands(bootstrap: String, admins: [String], service: String) -> [String] {
        var lines = [
            "# kchat ACLs for topic prefix '\(topics.prefix)' (generated by `kchat acls`, from the table the embedded broker enforces)",
            "# Broker configuration: authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "#   (kafka.security.authorizer.AclAuthorizer with ZooKeeper), allow.everyone.if.no.acl.found=false,",
            "#   super.users=User:\(service)   (kchat's services: moderator, store writer, channel directory)",
        ]
        let adminPrincipals = admins.isEmpty ? ["ADMIN"] : admins
        for rule in rules {
            let principals: [String]
            if rule.kinds.contains(.user) {
                principals = ["*"]
            } else {
                principals = adminPrincipals
            }
            let operations = rule.operations.map { "--operation \($0.rawValue)" }.joined(separator: " ")
            let resource: String
            switch rule.pattern {
            case .topic(let name): resource = "--topic '\(name)'"
            case .ownInbox(let prefix): resource = "--topic '\(prefix)_inbox.USER'"
            case .anyGroup: resource = "--group '*'"
            case .groupPrefix(let prefix): resource = "--resource-pattern-type prefixed --group '\(prefix)'"
            case .cluster: resource = "--cluster"
            }
            lines.append("# \(rule.permission == .allow ? "" : "DENY: ")\(rule.reason)")
            if case .ownInbox = rule.pattern {
                lines.append("# (once per user USER: Kafka ACLs cannot name the principal in a resource)")
            }
            for principal in principals {
                let who = rule.permission == .allow ? "--allow-principal" : "--deny-principal"
                let name = if case .ownInbox = rule.pattern { "USER" } else { principal }
                lines.append("kafka-acls --bootstrap-server \(bootstrap) --add \(who) 'User:\(name)' \(operations) \(resource)")
            }
        }
        return lines
    }
}
