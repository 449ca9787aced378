"""What sealing her words costs Home: a survivor with 7 goals of 3 steps each, her Home page
requested in this process through the test client, once with the app's cipher and once with a
pass-through in its place (only here, in the benchmark: the app has no switch that turns
encryption off). Used by `make bench` inside the demo copy; prints JSON."""

import json
import statistics
import time
from contextlib import contextmanager

GOALS, STEPS, REQUESTS = 7, 3, 60


@contextmanager
def pass_through_cipher():
    """The field's cipher swapped for one that stores the words as they are (same value format)."""
    from survivor_portal.vault import cipher

    real = cipher.seal, cipher.open_sealed
    cipher.seal = lambda plain, *, label, row_key: f"{cipher.VERSION}.{cipher.newest_key_id()}.{plain}"
    cipher.open_sealed = lambda sealed, *, label, row_key: sealed.split(".", 2)[2]
    try:
        yield
    finally:
        cipher.seal, cipher.open_sealed = real


def _her_home():
    from bench.queries import _person, logged_in_client
    from survivor_portal.goals import services

    her = _person()
    for n in range(GOALS):
        goal = services.goal_create(actor=her, title=f"Goal {n}: find a flat near the bus line",
                                    note="Ask Ana about the deposit and the papers she needs")
        for s in range(STEPS):
            services.step_create(actor=her, goal_id=goal.pk, text=f"Step {s}: call the housing office on Monday")
    return logged_in_client(her, SERVER_NAME="localhost")


def _times_ms(client, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        assert client.get("/").status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return times


def _open_us() -> float:
    from survivor_portal.vault import cipher

    sealed = cipher.seal("Call the housing office on Monday", label="goals.step.text", row_key="bench")
    start = time.perf_counter()
    for _ in range(2000):
        cipher.open_sealed(sealed, label="goals.step.text", row_key="bench")
    return (time.perf_counter() - start) / 2000 * 1e6


def main() -> None:
    encrypted = _her_home()
    with pass_through_cipher():
        plain = _her_home()
    _times_ms(encrypted, 5)
    with pass_through_cipher():
        _times_ms(plain, 5)
    encrypted_times, plain_times = [], []
    for _round in range(3):  # side by side, so a busy moment of the machine falls on both
        encrypted_times += _times_ms(encrypted, REQUESTS // 3)
        with pass_through_cipher():
            plain_times += _times_ms(plain, REQUESTS // 3)
    encrypted_ms, plain_ms = statistics.median(encrypted_times), statistics.median(plain_times)
    print(json.dumps({"goals": GOALS, "steps_per_goal": STEPS, "home_ms_encrypted": round(encrypted_ms, 2),
                      "home_ms_pass_through": round(plain_ms, 2), "ratio": round(encrypted_ms / plain_ms, 3),
                      "open_one_value_us": round(_open_us(), 1)}))
