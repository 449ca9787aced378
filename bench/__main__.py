"""`make bench`: runs the benchmarks against a throwaway demo copy, prints one table and
writes bench/results.json."""

import json
from pathlib import Path

from bench import quick_exit
from bench.server import demo_server


def main() -> None:
    results = {}
    with demo_server() as base:
        results["quick_exit"] = quick_exit.run(base)
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


if __name__ == "__main__":
    main()
