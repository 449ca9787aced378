"""`make bench`: runs the benchmarks against a throwaway demo copy, prints one table and
writes bench/results.json."""

import json
from pathlib import Path

from bench import quick_exit, scheduling
from bench.server import demo_server, postgres_available


def main() -> None:
    results = {}
    with demo_server() as (base, env):
        results["quick_exit"] = quick_exit.run(base)
        results["booking_sqlite"] = scheduling.run(base, env)
    if postgres_available():
        with demo_server("postgres") as (base, env):
            results["booking_postgres"] = scheduling.run(base, env)
    Path(__file__).with_name("results.json").write_text(json.dumps(results, indent=2))
    print("Quick exit, medians in ms. 'hidden' and 'exit site starts' are measured inside the page from the")
    print("key or tap event; 'exit requested' from the test driver (it includes the driver's own delay).")
    print(f"{'case':<28} {'hidden':>10} {'exit site starts':>17} {'exit requested':>15}")
    for case, row in results["quick_exit"].items():
        if isinstance(row, dict):
            hidden = "-" if row["hidden_median_ms"] is None else f"{row['hidden_median_ms']:.2f}"
            site = "-" if row["exit_site_median_ms"] is None else f"{row['exit_site_median_ms']:.1f}"
            print(f"{case:<28} {hidden:>10} {site:>17} {row['exit_request_median_ms']!s:>15}")
    ratio = results["quick_exit"].get("ratio_exit_request_tap_vs_plain_link")
    print(f"exit requested, tap with JavaScript / plain link without JavaScript: {ratio}")
    print()
    print(f"Booking over HTTP ({scheduling.CONCURRENCY} at a time), against a bare Django view on the same server:")
    print(f"{'database':<10} {'bookings/s':>11} {'bare view/s':>12} {'time ratio':>11} {'race: booked':>13} {'told taken':>11} {'other':>6}")
    for key in ("booking_sqlite", "booking_postgres"):
        row = results.get(key)
        if row:
            race = row["race"]
            print(f"{key.split('_')[1]:<10} {row['bookings_per_second']:>11} {row['bare_view_per_second']:>12} "
                  f"{row['ratio_booking_vs_bare_view']:>11} {race['booked']:>13} {race['told_taken']:>11} {race['other']:>6}")


if __name__ == "__main__":
    main()
