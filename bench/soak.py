"""`make soak`: 300 members with their group's page open for ten minutes (`SOAK_SECONDS` to
shorten it), against a demo copy under gunicorn (2 workers) on PostgreSQL with Redis (db 15) as
the shared cache: each page asks for news every 20 s, and now and then she writes or opens the
page again (bench/soak_members.py). Prints each worker's memory at the start, after the warm-up
and at the end, the requests and the failures; exits 1 on any failure, a replaced worker, or a
worker that kept growing after the warm-up. Not part of `make test`: it loads the machine."""

import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.server import demo_server, postgres_available, redis_available, shell_json

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
MEMBERS = 300
GROUPS = 10
# Members open their pages over the first minute (a quarter of a shorter soak), not all at once.
RAMP_SECONDS = max(1, min(60, SECONDS // 4))
REDIS_URL = "redis://127.0.0.1:6379/15"
# After this, a worker's memory should stay where it is: every member has come, and Python's
# caches, the templates and the database connection are all made.
WARM_UP_SECONDS = min(RAMP_SECONDS + 60, SECONDS // 3)
GROWTH_ALLOWED_MB = 10
MB = 1024 * 1024

PREPARE = r"""
import json
from bench.queries import _client
from peer_support.groups import services as groups
from peer_support.groups.models import PeerGroup
from survivor_portal.accounts.models import Agency, User
from survivor_portal.safety.models import SafetySettings
north = Agency.objects.get(name="Northside Shelter")
circles = [PeerGroup.objects.create(agency=north, name=f"Soak circle {g}", purpose="Talking together",
                                    agreement="Be kind.") for g in range(%(groups)d)]
out = []
for n in range(%(members)d):
    person = User.objects.create_user(f"soak_{n}", None, display_name=f"S{n}", agency=north)
    SafetySettings.objects.update_or_create(user=person, defaults={"seen_exit_intro": True})
    circle = circles[n %% len(circles)]
    groups.join(actor=person, group_id=circle.pk, alias=f"Member {n}", agreed=True)
    out.append({"sid": _client(person).cookies["sid"].value, "group": circle.pk})
print(json.dumps(out))
"""


def _workers(base: str) -> list[psutil.Process]:
    """The gunicorn workers serving `base` (bench.server starts gunicorn with `-b host:port`;
    the workers are forked from it, so the master is the one whose parent is not a copy)."""
    bind = base.removeprefix("http://")
    copies = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "gunicorn" in " ".join(cmdline) and bind in cmdline:
            copies.append(process)
    pids = {process.pid for process in copies}
    master = next(process for process in copies if process.ppid() not in pids)
    return sorted(master.children(), key=lambda process: process.pid)


def _memory(workers: list[psutil.Process]) -> dict[int, dict]:
    """Resident memory, and the part of it no other process shares (what a leak would grow)."""
    found = {}
    for worker in workers:
        try:
            full = worker.memory_full_info()
            found[worker.pid] = {"rss_mb": round(full.rss / MB, 1), "uss_mb": round(full.uss / MB, 1)}
        except psutil.NoSuchProcess:
            found[worker.pid] = None
    return found


class _Sampler(threading.Thread):
    """Each worker's memory every 10 s, and at the warm-up mark."""

    def __init__(self, workers: list[psutil.Process]) -> None:
        super().__init__(daemon=True)
        self.workers, self.samples, self.warm = workers, [], {}
        self.stop = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.stop.wait(10):
            self.samples.append(_memory(self.workers))
            if not self.warm and time.monotonic() - started >= WARM_UP_SECONDS:
                self.warm = self.samples[-1]


def _number(text: str) -> float | None:
    return None if text == "N/A" else float(text)


def _stats(path: Path) -> dict:
    rows = {}
    with open(path) as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "p50_ms": _number(row["50%"]), "p99_ms": _number(row["99%"]),
                                 "per_second": round(float(row["Requests/s"]), 1)}
    return rows


def _failures(path: Path) -> list[dict]:
    with open(path) as handle:
        return [{"what": row["Name"], "error": row["Error"], "times": int(row["Occurrences"])}
                for row in csv.DictReader(handle)]


def _locust(base: str, env: dict, members: list[dict], folder: Path) -> tuple[dict, list[dict]]:
    members_file = folder / "members.json"
    members_file.write_text(json.dumps(members))
    log = folder / "locust.log"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("soak_members.py")), "--headless",
         "-u", str(MEMBERS), "-r", str(MEMBERS / RAMP_SECONDS), "-t", f"{SECONDS}s", "--host", base,
         "--csv", str(folder / "soak"), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "30"],
        env={**os.environ, "SOAK_MEMBERS": str(members_file)}, check=False, cwd=env["BENCH_ROOT"],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    stats = _stats(folder / "soak_stats.csv") if (folder / "soak_stats.csv").exists() else {}
    if not stats.get("Aggregated", {}).get("requests"):
        sys.exit(f"locust sent nothing:\n{log.read_text()[-3000:]}")
    return stats, _failures(folder / "soak_failures.csv")


def run() -> dict:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # db 15 is the soak's own: nothing left from a last run
    with demo_server("postgres", gunicorn_workers=2, REDIS_URL=REDIS_URL) as (base, env):
        members = shell_json(env, PREPARE % {"members": MEMBERS, "groups": GROUPS})
        workers = _workers(base)
        start = _memory(workers)
        sampler = _Sampler(workers)
        sampler.start()
        with tempfile.TemporaryDirectory() as folder:
            stats, failures = _locust(base, env, members, Path(folder))
        sampler.stop.set()
        sampler.join()
        end = _memory(workers)
        workers_now = [worker.pid for worker in _workers(base)]
    redis.Redis.from_url(REDIS_URL).flushdb()
    return {
        "seconds": SECONDS, "members": MEMBERS, "groups": GROUPS, "warm_up_seconds": WARM_UP_SECONDS,
        "workers": {pid: {"start": start[pid], "warm": sampler.warm.get(pid), "end": end[pid],
                          "peak_rss_mb": max((s[pid]["rss_mb"] for s in sampler.samples if s.get(pid)), default=None)}
                    for pid in start},
        "workers_replaced": sorted(set(workers_now) ^ set(start)),
        "samples_every_10_s": sampler.samples,
        "endpoints": {name: row for name, row in stats.items() if name != "Aggregated"},
        "requests": stats.get("Aggregated", {}).get("requests", 0),
        "failures": stats.get("Aggregated", {}).get("failures", 0),
        "failure_kinds": failures,
    }


def _grew(worker: dict) -> float | None:
    if not (worker["warm"] and worker["end"]):
        return None
    return round(worker["end"]["rss_mb"] - worker["warm"]["rss_mb"], 1)


def report(result: dict) -> bool:
    print(f"== Soak: {result['members']} members in {result['groups']} groups, {result['seconds']} s, "
          "gunicorn (2 workers), PostgreSQL, Redis")
    # Each member waits for her answer before her next 20 s, so a server that falls behind shows
    # up as fewer requests and long waits rather than as failures.
    print(f"({result['members'] / 20:.0f} requests/s asked when the server keeps up; "
          f"{result['requests'] / result['seconds']:.1f}/s answered)")
    print(f"{'request':<28} {'requests':>9} {'failures':>9} {'per s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for name, row in sorted(result["endpoints"].items()):
        print(f"{name:<28} {row['requests']:>9} {row['failures']:>9} {row['per_second']:>7} {row['p50_ms']!s:>7} "
              f"{row['p99_ms']!s:>7}")
    print(f"{'all':<28} {result['requests']:>9} {result['failures']:>9}")
    for kind in result["failure_kinds"]:
        print(f"  failed {kind['times']}x {kind['what']}: {kind['error'][:160]}")
    print()
    print(f"== Worker memory, MB: RSS (USS, not shared) at the start, after {result['warm_up_seconds']} s, at the end")
    print(f"{'worker':>8} {'start':>14} {'warm':>14} {'end':>14} {'peak RSS':>9} {'RSS grew after warm-up':>23}")
    flat = True
    for pid, worker in result["workers"].items():
        cells = [f"{w['rss_mb']} ({w['uss_mb']})" if w else "gone" for w in (worker["start"], worker["warm"], worker["end"])]
        grew = _grew(worker)
        flat = flat and grew is not None and grew <= GROWTH_ALLOWED_MB
        print(f"{pid:>8} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14} {worker['peak_rss_mb']!s:>9} {grew!s:>23}")
    if result["workers_replaced"]:
        print(f"workers replaced during the soak (gunicorn's timeout, or a crash): {result['workers_replaced']}")
    ok = result["failures"] == 0 and not result["workers_replaced"] and flat and result["requests"] > 0
    print(f"\n{'OK' if ok else 'NOT OK'}: {result['failures']} failures in {result['requests']} requests; memory "
          f"{'flat' if flat else f'grew more than {GROWTH_ALLOWED_MB} MB after the warm-up'}")
    return ok


def main() -> None:
    if not (postgres_available() and redis_available()):
        sys.exit("make soak needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379.")
    result = run()
    Path(__file__).with_name("soak.json").write_text(json.dumps(result, indent=2))
    sys.exit(0 if report(result) else 1)


if __name__ == "__main__":
    main()
