"""The embedded broker driven by confluent-kafka (a newer librdkafka than Debian's)."""
import time

from confluent_kafka import Consumer, KafkaError, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from groupcheck import N, run_two_member_group


class Member:
    def __init__(self, bootstrap, group):
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self.partitions = []

    def subscribe(self, topic):
        self.consumer.subscribe([topic])

    def assigned(self):
        # Updated by poll_once on the member's own thread: the consumer is only used from there.
        return self.partitions

    def poll_once(self):
        values = []
        for msg in self.consumer.consume(num_messages=500, timeout=0.2):
            if msg.error():
                raise AssertionError(msg.error())
            values.append(int(msg.value()))
        self.partitions = [tp.partition for tp in self.consumer.assignment()]
        return values

    def commit(self):
        self.consumer.commit(asynchronous=False)

    def close(self):
        self.consumer.close()


def create(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)]).values():
        future.result(10)
    return admin


def test_admin_create_duplicate_list_delete(broker):
    admin = create(broker.bootstrap, "ck-admin", 5)
    assert len(admin.list_topics(timeout=10).topics["ck-admin"].partitions) == 5
    again = admin.create_topics([NewTopic("ck-admin", num_partitions=1, replication_factor=1)])["ck-admin"]
    try:
        again.result(10)
        raise AssertionError("creating an existing topic must fail")
    except Exception as error:  # KafkaException(TOPIC_ALREADY_EXISTS)
        assert error.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS
    admin.delete_topics(["ck-admin"])["ck-admin"].result(10)
    assert "ck-admin" not in admin.list_topics(timeout=10).topics


def test_group_of_two_no_loss_no_duplicates_then_kill9_resume(broker):
    topic = "ck-group"
    create(broker.bootstrap, topic, 4)

    def produce_all():
        producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "linger.ms": 5})
        for i in range(N):
            producer.produce(topic, key=str(i % 50), value=str(i))
            if i % 1000 == 0:
                producer.poll(0)
        assert producer.flush(30) == 0

    received = run_two_member_group(lambda: Member(broker.bootstrap, "ck-g"), produce_all, topic)
    everything = received[0] + received[1]
    assert len(everything) == N, f"got {len(everything)} of {N}"
    assert len(set(everything)) == N, "duplicates delivered"
    assert received[0] and received[1], "both members must have consumed"

    broker.kill9()
    broker.start()

    producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all"})
    for i in range(N, N + 100):
        producer.produce(topic, value=str(i))
    assert producer.flush(30) == 0

    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "ck-g", "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    after = []
    deadline = time.time() + 20
    while len(after) < 100 and time.time() < deadline:
        for msg in consumer.consume(num_messages=100, timeout=0.5):
            if not msg.error():
                after.append(int(msg.value()))
    consumer.close()
    assert sorted(after) == list(range(N, N + 100)), "resume must start at the committed offsets"


def test_delivery_reports_carry_offsets(broker):
    create(broker.bootstrap, "ck-dr", 1)
    reports = []
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(5):
        producer.produce("ck-dr", value=f"m{i}", on_delivery=lambda err, msg: reports.append((err, msg.offset())))
    producer.flush(10)
    assert reports == [(None, i) for i in range(5)]


def test_oversized_message_is_rejected_with_reason(broker):
    create(broker.bootstrap, "ck-big", 1)
    reports = []
    # The client would refuse > message.max.bytes itself; raise its limit so the broker decides.
    producer = Producer({"bootstrap.servers": broker.bootstrap, "message.max.bytes": 5_000_000,
                         "message.send.max.retries": 0, "compression.type": "none"})
    producer.produce("ck-big", value=b"x" * 2_000_000, on_delivery=lambda err, msg: reports.append(err))
    producer.flush(10)
    assert len(reports) == 1 and reports[0] is not None
    assert reports[0].code() == KafkaError.MSG_SIZE_TOO_LARGE
    assert "exceeds max" in broker.log()
    # The broker keeps serving.
    producer.produce("ck-big", value=b"small", on_delivery=lambda err, msg: reports.append(err))
    producer.flush(10)
    assert reports[1] is None
