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


# Figure 1: whose code a message runs, by the file it is in (callgrind's
# "ob"). Ajar's receiving-im-msg handler is also counted on its own.
PLUGIN_OBJECTS = {"ajar": "/ajar.so", "ignore": "/ignore.so", "privacy-please": "/libpidgin_pp.so"}
PLUGIN_NAMES = {"ajar": "Ajar", "ignore": "ignore.so", "privacy-please": "libpidgin_pp.so"}
AJAR_HANDLER = "receiving_im_msg_cb"


def plugin_costs(f):
    """From one callgrind dump (an open file, after its header): inclusive
    instructions of Ajar's receiving-im-msg handler, and of every call made
    into each plugin's file from outside it (its signal handlers: all of its
    code a message runs), as {name: (instructions, calls)}.

    A call's inclusive cost is the line after its "calls=" line; names and
    files may be compressed ("fn=(12) name" once, then "fn=(12)")."""
    names = {}
    ob = fn = cob = None
    call_to = None
    costs = {}

    def resolve(kind, value):
        m = re.match(r"\((\d+)\)(?: (.*))?$", value)
        if not m:
            return value
        if m.group(2) is not None:
            names[(kind, m.group(1))] = m.group(2)
        return names.get((kind, m.group(1)), value)

    def add(name, instructions, calls):
        total, count = costs.get(name, (0, 0))
        costs[name] = (total + instructions, count + calls)

    def plugin_of(obj):
        for name, suffix in PLUGIN_OBJECTS.items():
            if obj is not None and obj.endswith(suffix):
                return name
        return None

    for line in f:
        c = line[:1]
        if c.isdigit() or c in "+-*":
            fields = line.split()
            cost = int(fields[1]) if len(fields) > 1 else 0
            in_handler = fn == AJAR_HANDLER and plugin_of(ob) == "ajar"
            if call_to is not None:
                callee_ob, callee_fn, count = call_to
                call_to = None
                if in_handler:
                    add("ajar-handler", cost, 0)
                if callee_fn == AJAR_HANDLER and plugin_of(callee_ob) == "ajar":
                    add("ajar-handler", 0, count)
                callee = plugin_of(callee_ob)
                if callee is not None and plugin_of(ob) != callee:
                    add(callee, cost, count)
            elif in_handler:
                add("ajar-handler", cost, 0)
            continue
        key, _, value = line.rstrip("\n").partition("=")
        if key == "ob":
            ob, cob = resolve("ob", value), None
        elif key == "fn":
            fn, cob = resolve("fn", value), None
        elif key == "cob":
            cob = resolve("ob", value)
        elif key == "cfn":
            cfn = resolve("fn", value)
        elif key in ("fl", "fi", "fe", "cfl", "cfi"):
            resolve("fl", value)
        elif key == "calls":
            call_to = (cob if cob is not None else ob, cfn, int(value.split()[0]))
            cob = None
    return costs


def read_callgrind(directory):
    """[(key, n, instructions, plugin costs)] in the order the dumps were made."""
    found = []
    for path in glob.glob(os.path.join(directory, "*")):
        match = re.search(r"\.(\d+)\.(\d+)$", path)
        if not match:
            continue
        key = n = total = None
        costs = {}
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"desc: Trigger: Client Request: ajar-bench (\S+) (\d+)", line)
                if m:
                    key, n = m.group(1), int(m.group(2))
                m = re.match(r"(?:summary|totals): (\d+)", line)
                if m and total is None:
                    total = int(m.group(1))
                    if key is not None and key.startswith("1."):
                        costs = plugin_costs(f)
                    break
        if key is not None and total is not None and n:
            found.append(((int(match.group(1)), int(match.group(2))), key, n, total, costs))
    found.sort()
    return [(key, n, total, costs) for _, key, n, total, costs in found]


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
    for i, (key, n, total, _) in enumerate(counts):
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


def plugin_figures(counts):
    """key -> {"ajar-handler" | plugin name: instructions a message}, the
    median over the key's batches (figure 1's second 1.a is "1.a#2")."""
    per_key = {}
    for i, (key, n, _, costs) in enumerate(counts):
        if key == "1.a" and i + 1 < len(counts) and counts[i + 1][0] == "1.d10000":
            key = "1.a#2"
        for name, (instructions, _) in costs.items():
            per_key.setdefault(key, {}).setdefault(name, []).append(instructions / n)
    return {key: {name: sorted(v)[len(v) // 2] for name, v in by_name.items()}
            for key, by_name in per_key.items()}


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
    plugins = plugin_figures(counts)

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
        in_plugins = plugins.get(lookup, {})
        if "ajar-handler" in in_plugins:
            row["handler_instructions"] = in_plugins["ajar-handler"]
        for name in PLUGIN_OBJECTS:
            if name in in_plugins:
                row["plugin_instructions"] = in_plugins[name]
                row["plugin_object"] = name
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
        if row.get("plugin_instructions") is not None:
            handler = row.get("handler_instructions")
            print(f"{'':<14} callgrind, inclusive, a message: "
                  f"{PLUGIN_NAMES[row['plugin_object']]}'s code "
                  f"{row['plugin_instructions']:,.0f} instructions (its signal handlers)"
                  + (f"; Ajar's receiving-im-msg handler {handler:,.0f}"
                     if handler is not None else ""))

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
    # Issue 13: texts off the heap, compact state. CPU time: what the
    # machine's load adds least to.
    row7 = by_key.get("3.replay7")
    if row is not None:
        cpu = row.get("cpu_seconds")
        goal("replay 10^6 < 0.5 s CPU, peak RSS growth < 0.2x journal (issue 13)",
             cpu is not None and cpu < 0.5 and row["ratio"] < 0.2,
             f"{fmt(cpu, '.2f')} s CPU ({row['seconds']:.2f} s wall), {row['ratio']:.2f}x "
             f"({row['bytes'] / 1048576:.0f} MiB peak growth, journal "
             f"{row['bytes2'] / 1048576:.0f} MiB)")
    if row is not None and row7 is not None:
        cpu6, cpu7 = row.get("cpu_seconds"), row7.get("cpu_seconds")
        times = cpu7 / cpu6 if cpu6 and cpu7 else None
        goal("10^7 < 11x the 10^6 time (issue 13)", times is not None and times < 11,
             f"{fmt(times, '.2f')}x in CPU ({fmt(cpu7, '.2f')} s against {fmt(cpu6, '.2f')} s), "
             f"{row7['seconds'] / row['seconds']:.2f}x wall; 10^7 peak RSS growth "
             f"{row7['bytes'] / 1048576:.0f} MiB ({row7['ratio']:.2f}x its journal)")
    loads = [by_key.get(f"3.load{s}") for s in (4, 5, 6)]
    if all(loads):
        goal("plugin load time linear in the journal",
             max(r["ratio"] for r in loads) < 1.5,
             "time per event against 10^4: " + ", ".join(f"{r['ratio']:.2f}" for r in loads))
    row = by_key.get("3.loadblock6")
    if row is not None:
        goal("plugin load on 10^6 events: longest main-loop block < 100 ms",
             row["max_us"] < 100000,
             f"{row['max_us'] / 1000:.1f} ms ({row['note']})")
    hit1, hit10k = by_key.get("4.hit1"), by_key.get("4.hit10000")
    if hit1 and hit10k:
        ir = hit10k.get("instructions_ratio")
        verdict = ir if ir is not None else hit10k["ratio"]
        goal("ajar_rules_decide flat from 1 to 10,000 rules", verdict < 1.2,
             f"10,000 rules / 1 rule: instructions {fmt(ir, '.3f') or 'n/a'}, "
             f"time {hit10k['ratio']:.3f}")

    print()
    print("Goals (issue 13), from the figures above:")
    for key, label in (("1.b", "10 rules"), ("1.c", "10,000 rules")):
        row = by_key.get(key)
        if row is None or row.get("handler_instructions") is None:
            continue
        handler = row["handler_instructions"]
        goal(f"Ajar's receiving-im-msg handler < 250 instructions, {label}", handler < 250,
             f"{handler:,.0f} instructions a message (callgrind, inclusive)")
    row = by_key.get("1.c")
    if row is not None and row.get("instructions_ratio") is not None:
        goal("pass-through, 10,000 rules, <= 1.02x no plugin in instructions",
             row["instructions_ratio"] <= 1.02, f"{row['instructions_ratio']:.4f}")
    ajar = by_key.get("1.c")
    for key, label in (("1.d10000", "the ignore plugin, 10,000 entries"),
                       ("1.e", "pidgin-privacy-please")):
        other = by_key.get(key)
        if ajar is None or other is None:
            continue
        mine, theirs = ajar.get("instructions_per_op"), other.get("instructions_per_op")
        if mine is None or theirs is None:
            print(f"  [--] Ajar (10,000 rules) against {label}: not measured")
            continue
        print(f"  [--] Ajar (10,000 rules) against {label}: {mine / theirs:.3f} of its "
              f"instructions a message ({mine:,.0f} against {theirs:,.0f}); plugin code alone "
              f"{fmt(ajar.get('plugin_instructions'), ',.0f')} against "
              f"{fmt(other.get('plugin_instructions'), ',.0f')}")
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
