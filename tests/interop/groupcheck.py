"""Shared scenario: a 2-member consumer group reads 10k messages with no loss or duplication,
commits, the broker is killed with SIGKILL and restarted, and the group resumes from its
committed offsets."""
import threading
import time

N = 10_000


def run_two_member_group(make_consumer, produce_all, topic, *, timeout=90):
    """make_consumer() -> object with poll_values(stop) that returns (values, assigned_ok);
    this helper only coordinates threads and checks the result."""
    consumers = [make_consumer(), make_consumer()]
    for c in consumers:
        c.subscribe(topic)
    # Wait until both members hold a non-empty assignment: the group has really been split.
    deadline = time.time() + 60
    while time.time() < deadline and not all(c.assigned() for c in consumers):
        for c in consumers:
            c.poll_once()
    assert all(c.assigned() for c in consumers), "both members should get partitions"
    parts = [set(c.assigned()) for c in consumers]
    assert not (parts[0] & parts[1]), f"partitions assigned twice: {parts}"

    produce_all()

    received = [[], []]
    stop = threading.Event()

    def loop(i):
        while not stop.is_set():
            received[i].extend(consumers[i].poll_once())
            if sum(len(r) for r in received) >= N:
                break

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    deadline = time.time() + timeout
    while time.time() < deadline and sum(len(r) for r in received) < N:
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(30)
    for c in consumers:
        c.commit()
        c.close()
    return received
