#!/usr/bin/env python3
"""bench/report.py — one table from the benchmark programs' rows (JSON Lines,
--json of ajar-bench-plugin and ajar-bench-core) and, when given, callgrind's
instruction counts (the dumps the programs' --instructions runs left).

Times are wall-clock medians on a machine that may be busy; instruction
counts (Ir, callgrind) are exact and do not depend on the load. Ratios are
given for both. Usage:
  report.py [--callgrind DIR] [--json OUT] ROWS.jsonl...
"""
import argparse
import glob
import json
import os
import re
import sys


def read_rows(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def read_callgrind(directory):
    """[(key, n, instructions)] in the order the dumps were made."""
    found = []
    for path in glob.glob(os.path.join(directory, "*")):
        match = re.search(r"\.(\d+)\.(\d+)$", path)
        if not match:
            continue
        key = n = total = None
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"desc: Trigger: Client Request: ajar-bench (\S+) (\d+)", line)
                if m:
                    key, n = m.group(1), int(m.group(2))
                m = re.match(r"(?:summary|totals): (\d+)", line)
                if m and total is None:
                    total = int(m.group(1))
        if key is not None and total is not None and n:
            found.append(((int(match.group(1)), int(match.group(2))), key, n, total))
    found.sort()
    return [(key, n, total) for _, key, n, total in found]


def instruction_ratios(counts):
    """key -> (instructions per op, ratio against its figure's baseline).

    Figure 1 runs in interleaved rounds (1.a, 1.b, 1.c, 1.d10, 1.a, ...):
    each batch is compared with the 1.a batch of its own round, and the
    median of those ratios is the variant's ratio. Its instructions per op
    are the median over its batches. The second phase's 1.a is "1.a#2"."""
    per_key = {}
    ratios = {}
    last_none = None
    firsts = {}
    for i, (key, n, total) in enumerate(counts):
        per_op = total / n
        name = key
        if key == "1.a":
            last_none = per_op
            following = counts[i + 1][0] if i + 1 < len(counts) else None
            if following == "1.d10000":
                name = "1.a#2"
        per_key.setdefault(name, []).append(per_op)
        if key.startswith("1."):
            ratios.setdefault(name, []).append(per_op / last_none if last_none else None)
        elif key.startswith("4.") or key.startswith("3."):
            family = re.sub(r"\d+$", "", key)
            firsts.setdefault(family, per_op)
            ratios.setdefault(name, []).append(per_op / firsts[family])
        elif key.startswith("2.core"):
            firsts.setdefault("2.core", per_op)
            ratios.setdefault(name, []).append(per_op / firsts["2.core"])

    def median(values):
        values = sorted(v for v in values if v is not None)
        if not values:
            return None
        mid = len(values) // 2
        return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2

    return {name: (median(values), median(ratios.get(name, [])))
            for name, values in per_key.items()}


def fmt(value, spec):
    return "" if value is None else format(value, spec)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--callgrind")
    parser.add_argument("--json")
    parser.add_argument("--machine", help="a line describing the machine, printed first")
    args = parser.parse_args()

    rows = read_rows(args.rows)
    counts = read_callgrind(args.callgrind) if args.callgrind else []
    instr = instruction_ratios(counts)

    if args.machine:
        print(args.machine)
    header = (f"{'key':<14} {'figure':<50} {'n':>8} {'time/op':>11} {'t.ratio':>7} "
              f"{'Ir/op':>9} {'Ir.ratio':>8} {'max us':>8} {'MiB':>7}")
    print(header)
    print("-" * len(header))
    seen_none = 0
    for row in rows:
        key = row["key"]
        lookup = key
        if key == "1.a":
            seen_none += 1
            if seen_none == 2:
                lookup = "1.a#2"
        per_op, ratio = instr.get(lookup, (None, None))
        row["instructions_per_op"] = per_op
        row["instructions_ratio"] = ratio
        ns = row.get("ns_per_op")
        if ns is None or (ns == 0 and row.get("n", 0) == 0):
            time_text = ""
        elif ns >= 1e6:
            time_text = f"{ns / 1e6:.2f} ms"
        elif ns >= 1e3:
            time_text = f"{ns / 1e3:.2f} us"
        else:
            time_text = f"{ns:.0f} ns"
        if key == "5.memory":
            time_text = ""
        mib = row.get("bytes")
        print(f"{key:<14} {row['name'][:50]:<50} {row.get('n', 0):>8} {time_text:>11} "
              f"{fmt(row.get('ratio'), '.3f'):>7} {fmt(per_op, ',.0f'):>9} "
              f"{fmt(ratio, '.3f'):>8} {fmt(row.get('max_us'), '.1f'):>8} "
              f"{fmt(mib / 1048576 if mib is not None else None, '.1f'):>7}")
        if row.get("note"):
            print(f"{'':<14} {row['note']}")

    print()
    print("Goals (issue 7), from the figures above:")
    by_key = {}
    for row in rows:
        by_key.setdefault(row["key"], row)

    def goal(text, met, detail):
        print(f"  [{'met' if met else 'NOT met'}] {text}: {detail}")

    for key, label in (("1.b", "(b)/(a) <= 1.02"), ("1.c", "(c)/(a) <= 1.02")):
        row = by_key.get(key)
        if row is None:
            continue
        ir = row.get("instructions_ratio")
        verdict = ir if ir is not None else row.get("ratio")
        goal(label, verdict is not None and verdict <= 1.02,
             f"instructions {fmt(ir, '.4f') or 'n/a'}, time {fmt(row.get('ratio'), '.3f')}")
    for key in ("2.held-count",):
        row = by_key.get(key)
        if row is not None:
            goal("longest held-message call under 1 ms (batched fdatasync)",
                 row.get("max_us") is not None and row["max_us"] < 1000,
                 f"{row['max_us']:.0f} us of thread CPU (wall: see its note)")
    row = by_key.get("3.replay6")
    if row is not None:
        goal("10^6 events replayed in under 1 s", row["seconds"] < 1.0,
             f"{row['seconds']:.2f} s wall, {fmt(row.get('cpu_seconds'), '.2f')} s CPU")
        goal("...in under 2x the journal's size in memory", row["ratio"] < 2.0,
             f"{row['ratio']:.2f}x ({row['bytes'] / 1048576:.0f} MiB peak growth, "
             f"journal {row['bytes2'] / 1048576:.0f} MiB)")
    loads = [by_key.get(f"3.load{s}") for s in (4, 5, 6)]
    if all(loads):
        goal("plugin load time linear in the journal",
             max(r["ratio"] for r in loads) < 1.5,
             "time per event against 10^4: " + ", ".join(f"{r['ratio']:.2f}" for r in loads))
    hit1, hit10k = by_key.get("4.hit1"), by_key.get("4.hit10000")
    if hit1 and hit10k:
        ir = hit10k.get("instructions_ratio")
        verdict = ir if ir is not None else hit10k["ratio"]
        goal("ajar_rules_decide flat from 1 to 10,000 rules", verdict < 1.2,
             f"10,000 rules / 1 rule: instructions {fmt(ir, '.3f') or 'n/a'}, "
             f"time {hit10k['ratio']:.3f}")

    row = by_key.get("6.compact6")
    if row is not None:
        goal("compaction of 10^6 events (1 % in custody) in under 2 s, journal after under 2 %",
             row["seconds"] < 2.0 and row["ratio"] < 0.02,
             f"{row['seconds']:.2f} s wall, {fmt(row.get('cpu_seconds'), '.2f')} s CPU; "
             f"{row['bytes2'] / 1048576:.1f} MiB -> {row['bytes'] / 1048576:.2f} MiB "
             f"({100 * row['ratio']:.2f} %)")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"machine": args.machine, "rows": rows}, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
