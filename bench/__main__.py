"""`make bench`: runs the benchmarks against throwaway demo copies, prints one report and
writes bench/results.json. Timings are noisy on a small machine: read the ratios, measured
side by side in one run, not the absolute numbers."""

import json
from pathlib import Path

from bench import page_weight, quick_exit, scheduling, throughput
from bench.server import demo_server, postgres_available, redis_available, shell_json


def _queries(env: dict) -> list[dict]:
    return shell_json(env, "from bench.queries import main; main()")


def main() -> None:
    results = {}
    with demo_server() as (base, env):
        results["quick_exit"] = quick_exit.run(base)
        results["page_weight"] = page_weight.run(base, env)
        results["booking_sqlite"] = scheduling.run(base, env)
        results["queries"] = _queries(env)
        results["encryption"] = shell_json(env, "from bench.encryption import main; main()")
    if postgres_available():
        shared = {"REDIS_URL": "redis://127.0.0.1:6379/7"} if redis_available() else {}
        # As agencies run it: gunicorn, PostgreSQL and Redis, the shipped settings untouched.
        with demo_server("postgres", gunicorn_workers=2, **shared) as (base, env):
            results["throughput"] = throughput.run(base, env)
        with demo_server("postgres", gunicorn_workers=2, **shared) as (base, env):
            results["booking_postgres"] = {**scheduling.run(base, env), "shared_cache": "redis" if shared else "none"}
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2))
    report(results)


def report(results: dict) -> None:
    print("== Page weight (bytes). First round trip = HTML as sent + its stylesheet; budgets 14 KB and 50 KB.")
    print(f"{'who':<15} {'page':<22} {'html':>7} {'gzip':>6} {'brotli':>7} {'sent':>6} {'1st trip':>9} {'1st visit':>10}  ok")
    for row in results["page_weight"]["pages"]:
        print(f"{row['who']:<15} {row['path']:<22} {row['html_bytes']:>7} {row['html_gzip']:>6} {row['html_brotli']:>7} "
              f"{row['html_as_sent']:>6} {row['first_round_trip']:>9} {row['first_visit_total']:>10}  "
              f"{'yes' if row['within_budgets'] else 'NO'}")
    print()
    row = results["encryption"]
    print(f"== Home with her words sealed ({row['goals']} goals of {row['steps_per_goal']} steps, in one process, median ms)")
    print(f"encrypted {row['home_ms_encrypted']:.2f}  pass-through cipher {row['home_ms_pass_through']:.2f}  "
          f"ratio {row['ratio']:.3f}  (opening one value: {row['open_one_value_us']:.1f} µs)")
    print()
    print("== Database queries per page, with 1 and with 200 items (must be equal)")
    for row in results["queries"]:
        print(f"{row['page']:<36} {row['items']:<20} {row['1']:>4} {row['200']:>4}  {'same' if row['1'] == row['200'] else 'GROWS'}")
    print()
    print("== Quick exit, medians in ms ('hidden' and 'exit site starts' from the key or tap, inside the page)")
    print(f"{'case':<28} {'hidden':>10} {'exit site starts':>17} {'exit requested':>15}")
    for case, row in results["quick_exit"].items():
        if isinstance(row, dict):
            hidden = "-" if row["hidden_median_ms"] is None else f"{row['hidden_median_ms']:.2f}"
            site = "-" if row["exit_site_median_ms"] is None else f"{row['exit_site_median_ms']:.1f}"
            print(f"{case:<28} {hidden:>10} {site:>17} {row['exit_request_median_ms']!s:>15}")
    print(f"exit requested, tap with JavaScript / plain link without JavaScript: "
          f"{results['quick_exit'].get('ratio_exit_request_tap_vs_plain_link')}")
    print()
    print(f"== Booking over HTTP ({scheduling.CONCURRENCY} at a time) against a bare Django view, and 20 people racing for one slot")
    print(f"{'server':<34} {'bookings/s':>11} {'bare view/s':>12} {'time ratio':>11} {'race: booked':>13} {'told taken':>11} {'other':>6}")
    for key, label in (("booking_sqlite", "runserver, SQLite"), ("booking_postgres", "gunicorn x2, PostgreSQL, Redis cache")):
        row = results.get(key)
        if row:
            race = row["race"]
            print(f"{label:<34} {row['bookings_per_second']:>11} {row['bare_view_per_second']:>12} "
                  f"{row['ratio_booking_vs_bare_view']:>11} {race['booked']:>13} {race['told_taken']:>11} {race['other']:>6}")
    if "throughput" in results:
        print()
        throughput.report(results["throughput"])
    else:
        print("\n(PostgreSQL is not reachable on 127.0.0.1:5432: throughput and the PostgreSQL booking race were skipped.)")

if __name__ == "__main__":
    main()
