"""The embedded broker driven by kafka-python (pure Python client)."""
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from groupcheck import N, run_two_member_group


class Member:
    def __init__(self, bootstrap, group):
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                                      enable_auto_commit=False, client_id="kp-test")
        self.partitions = []

    def subscribe(self, topic):
        self.consumer.subscribe([topic])

    def assigned(self):
        # Updated by poll_once on the member's own thread: the consumer is only used from there.
        return self.partitions

    def poll_once(self):
        batches = self.consumer.poll(timeout_ms=200)
        self.partitions = [tp.partition for tp in self.consumer.assignment()]
        return [int(r.value) for records in batches.values() for r in records]

    def commit(self):
        self.consumer.commit()

    def close(self):
        self.consumer.close()


def test_admin_create_list_delete(broker):
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic("kp-admin", num_partitions=4, replication_factor=1)])
    assert "kp-admin" in admin.list_topics()
    admin.delete_topics(["kp-admin"])
    deadline = time.time() + 10
    while "kp-admin" in admin.list_topics() and time.time() < deadline:
        time.sleep(0.2)
    assert "kp-admin" not in admin.list_topics()
    admin.close()


def test_group_of_two_no_loss_no_duplicates_then_kill9_resume(broker):
    topic = "kp-group"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)])
    admin.close()

    def produce_all():
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        for i in range(N):
            producer.send(topic, key=str(i % 50).encode(), value=str(i).encode())
        producer.flush()
        producer.close()

    received = run_two_member_group(lambda: Member(broker.bootstrap, "kp-g"), produce_all, topic)
    everything = received[0] + received[1]
    assert len(everything) == N, f"got {len(everything)} of {N}"
    assert len(set(everything)) == N, "duplicates delivered"
    assert received[0] and received[1], "both members must have consumed"

    broker.kill9()
    broker.start()

    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    for i in range(N, N + 100):
        producer.send(topic, value=str(i).encode())
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id="kp-g",
                             auto_offset_reset="earliest", consumer_timeout_ms=8000)
    after = [int(r.value) for r in consumer]
    consumer.close()
    assert sorted(after) == list(range(N, N + 100)), "resume must start at the committed offsets"


def test_seek_and_end_offsets(broker):
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    for i in range(10):
        producer.send("kp-seek", value=str(i).encode(), partition=0)
    producer.flush()
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
    tp = TopicPartition("kp-seek", 0)
    assert consumer.end_offsets([tp])[tp] == 10
    assert consumer.beginning_offsets([tp])[tp] == 0
    consumer.assign([tp])
    consumer.seek(tp, 7)
    got = []
    deadline = time.time() + 10
    while len(got) < 3 and time.time() < deadline:
        for records in consumer.poll(timeout_ms=200).values():
            got += [int(r.value) for r in records]
    assert got == [7, 8, 9]
    consumer.close()
    producer.close()
