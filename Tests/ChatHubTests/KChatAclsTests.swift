import ChatModel
import EmbeddedBroker
import Testing
@testable import ChatHub

@Suite("kchat's ACL table")
struct KChatAclsTests {
    let acls = KChatAcls(topics: TopicNames(prefix: "chat"))
    let alice = Principal(name: "alice", kind: .user)
    let root = Principal(name: "root", kind: .admin)
    let service = Principal(name: ServiceCredentials.defaultUser, kind: .service)

    @Test func users() {
        #expect(acls.authorize(alice, .write, .topic("chat")))
        #expect(acls.authorize(alice, .describe, .topic("chat")), "Write implies Describe")
        #expect(!acls.authorize(alice, .read, .topic("chat")))
        for topic in ["chat_controlled", "chat_control", "chat_channels", "chat_inbox.alice"] {
            #expect(acls.authorize(alice, .read, .topic(topic)), "\(topic)")
            #expect(acls.authorize(alice, .describe, .topic(topic)), "\(topic)")
            #expect(!acls.authorize(alice, .write, .topic(topic)), "\(topic)")
        }
        for topic in ["chat_dlq", "chat_private", "chat_inbox.bob", "chat_inbox.alice2", "chat_inbox.", "chat_inbox", "other"] {
            #expect(!acls.authorize(alice, .read, .topic(topic)), "\(topic)")
            #expect(!acls.authorize(alice, .describe, .topic(topic)), "\(topic)")
        }
        #expect(acls.authorize(alice, .read, .group("my-reader")))
        for group in ["kchat-moderator", "kchat-moderator-blocks", "kchat-store"] {
            #expect(!acls.authorize(alice, .read, .group(group)), "\(group)")
        }
        #expect(acls.authorize(alice, .idempotentWrite, .cluster))
        for operation in [AclOperation.create, .delete] {
            #expect(!acls.authorize(alice, operation, .topic("chat")))
            #expect(!acls.authorize(alice, operation, .topic("new")))
        }
    }

    @Test func admins() {
        #expect(acls.authorize(root, .write, .topic("chat_control")))
        #expect(acls.authorize(root, .write, .topic("chat_channels")))
        #expect(acls.authorize(root, .read, .topic("chat_dlq")))
        #expect(acls.authorize(root, .read, .topic("chat_controlled")))
        #expect(!acls.authorize(root, .write, .topic("chat_controlled")))
        #expect(!acls.authorize(root, .read, .group("kchat-moderator")))
        #expect(!acls.authorize(root, .delete, .topic("chat")))
        #expect(!acls.authorize(root, .read, .topic("chat_inbox.bob")))
        #expect(!acls.authorize(root, .read, .topic("chat_private")), "DMs are stored through a topic nobody reads")
        #expect(!acls.authorize(root, .describe, .topic("chat_private")))
        #expect(!acls.authorize(alice, .write, .topic("chat_inbox.alice")), "only the moderator writes inboxes")
        #expect(!acls.authorize(alice, .write, .topic("chat_private")))
    }

    @Test func servicesMayDoEverything() {
        for operation in AclOperation.allCases {
            #expect(acls.authorize(service, operation, .topic("chat_dlq")))
            #expect(acls.authorize(service, operation, .group("kchat-moderator")))
            #expect(acls.authorize(service, operation, .cluster))
        }
    }

    @Test func thePrefixIsHonoured() {
        let other = KChatAcls(topics: TopicNames(prefix: "room"))
        #expect(other.authorize(alice, .write, .topic("room")))
        #expect(!other.authorize(alice, .write, .topic("chat")))
        #expect(other.authorize(alice, .read, .topic("room_inbox.alice")))
    }

    @Test func theSameTablePrintsAsKafkaAclsCommands() {
        let lines = acls.kafkaAclsCommands(bootstrap: "k:9092", admins: ["root"], service: "svc")
        let commands = lines.filter { !$0.hasPrefix("#") }
        #expect(commands.contains("kafka-acls --bootstrap-server k:9092 --add --allow-principal 'User:*' --operation Write --topic 'chat'"))
        #expect(commands.contains("kafka-acls --bootstrap-server k:9092 --add --deny-principal 'User:*' --operation Read --resource-pattern-type prefixed --group 'kchat-'"))
        #expect(commands.contains("kafka-acls --bootstrap-server k:9092 --add --allow-principal 'User:root' --operation Write --topic 'chat_control'"))
        #expect(commands.contains("kafka-acls --bootstrap-server k:9092 --add --allow-principal 'User:USER' --operation Read --topic 'chat_inbox.USER'"))
        #expect(lines.contains { $0.contains("super.users=User:svc") })
        #expect(commands.count == acls.rules.count, "one command per rule (one admin)")
    }
}
