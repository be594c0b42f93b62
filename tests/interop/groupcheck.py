"""Shared scenario: a 2-member consumer group reads 10k messages with no loss or duplication,
commits, the broker is killed with SIGKILL and restarted, and the group resumes from its
committed offsets."""
import threading
import time

N = 10_000


def run_two_member_group(make_consumer, produce_all, topic, *, timeout=90):
    """Each member polls in its own thread from the start (as real consumers do: a member that is
    not polled cannot rejoin a rebalance). Waits until both hold partitions, produces, then
    collects until N values arrived or the timeout. make_consumer() returns an object with
    subscribe, assigned, poll_once, commit and close."""
    consumers = [make_consumer(), make_consumer()]
    for c in consumers:
        c.subscribe(topic)
    received = [[], []]
    stop = threading.Event()

    def loop(i):
        while not stop.is_set():
            received[i].extend(consumers[i].poll_once())

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not all(c.assigned() for c in consumers):
            time.sleep(0.1)
        assert all(c.assigned() for c in consumers), "both members should get partitions"
        parts = [set(c.assigned()) for c in consumers]
        assert not (parts[0] & parts[1]), f"partitions assigned twice: {parts}"

        produce_all()

        deadline = time.time() + timeout
        while time.time() < deadline and sum(len(r) for r in received) < N:
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    for c in consumers:
        c.commit()
        c.close()
    return received
