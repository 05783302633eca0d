"""Real Finch, real XMPP, an 80x24 terminal: Ajar holds Sam's messages; the
review opens from the buddy list's Plugins menu; your own message cools off.

    /usr/bin/python3 tests/finch/test-finch.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody (scripts/servers) and Debian's Finch in a detached tmux
session of exactly 80x24 on a private socket (scripts/ajar_finch.py), with a
throwaway --config folder in which the built ajar.so is enabled. Then, as a
person at that terminal would, with keys only:
  - opens a conversation with Sam and types `/ajar hold`; rules.json must
    hold Sam; closes the conversation (Alt-c);
  - Sam (scripts/xmpp_send.py, a real XMPP client) writes three messages: the
    journal must have three `held` lines, word for word, and Finch must show
    nothing: no window, none of the texts, no chat log;
  - opens Buddy List ▸ Ctrl-O ▸ Plugins ▸ Ajar ▸ Review held messages…, saves
    the review's first step, presses Read, saves its second step; then runs
    each of the second step's actions in a review of its own and checks the
    journal after each (drive_review_step_two): Keep with message 1 ticked
    changes nothing; Release the chosen releases exactly message 1 into a
    conversation; Discard the chosen asks first ("Keep them" keeps it,
    "Discard" discards exactly it); Release all releases the last one; then
    Recently discarded brings the discarded one back (journal: restored);
  - cooling-off: in Sam's conversation `/ajar cooloff 10` and "hello later":
    the conversation must say "Ajar: this will be sent in 10 min." and the
    journal have a `queued` line; `/ajar cancel` must journal `cancelled`;
  - opens Ajar's preferences (Plugins window ▸ Ajar ▸ Configure Plugin).
Every screen it saves is text, DIR/*.txt. Output is TAP; everything it started
is stopped at the end, even on failure, and the test fails if a process is left.
"""

import argparse
import html
import json
import os
import re
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_finch as af  # noqa: E402
from ajar_tap import Servers, Tap  # noqa: E402
import ajar_pidgin as ap  # noqa: E402  (Session: reaping and leftover checks)
from xmpp_send import send_messages  # noqa: E402

TEXTS = ["are you awake?", "I miss you", "call me"]
LATER = "hello later"


def events(config, kind):
    return [e for e in af.read_journal(config) if e.get("event") == kind]


def at_least(n, found):
    return found if len(found) >= n else None


def review_step_two(finch):
    """Opens the review and presses Read on Sam; returns the second step's screen."""
    return press_read(finch, open_review_step_one(finch))


def focused_box(finch):
    """The line of the focused check box (Finch draws only its "[ ]" on blue),
    or None."""
    for row in finch.styled_screen()[:-1]:
        if any(run in ("[ ]", "[X]") for run in af.runs_on(row, 44)):
            return "".join(ch for ch, _ in af.styled_cells(row))
    return None


def tick(finch, line_start, tries=12):
    """Tabs to the check box whose line starts with line_start and ticks it."""
    for _ in range(tries):
        line = focused_box(finch)
        if line is not None and f"] {line_start}" in line:
            break
        finch.send_keys("Tab")
    else:
        raise af.Failure(f"no check box {line_start!r} could be reached:\n{finch.screen()}")
    finch.send_keys(" ")
    finch.wait_for_screen(f"[X] {line_start}")


# The second step's "Then" list, in its order.
OPTIONS = ["Keep them for now", "Release the chosen into the conversation",
           "Release all into the conversation", "Discard the chosen…"]


# The "Recently discarded" step's list.
DISCARDED_OPTIONS = ["Leave them discarded", "Bring back the chosen (kept again)",
                     "Bring back all"]


def pick(finch, option, options=OPTIONS):
    """Tabs to the review's "Then" list (it shows its first option at first),
    opens it (Down), moves down to option (Finch marks the dropdown's row in a
    colour of its own, so by its place in options) and takes it (Enter);
    checks that the list then shows it, closed."""
    finch.choose(options[0], key="Tab")
    finch.send_keys("Down")
    finch.wait_for_screen(options[-1])
    for _ in range(options.index(option)):
        finch.send_keys("Down")
    finch.send_keys("Enter")
    af.wait_for(f"the list to show {option!r}, closed",
                lambda: all((o in finch.screen()) == (o == option) for o in options))


def press(finch, button):
    """Tabs to a button and presses it."""
    finch.choose(button, key="Tab")
    finch.send_keys("Enter")


def journal_lines(config):
    return len(af.read_journal(config))


def drive_review_step_two(tap, finch, config, held):
    """Each action of the review's second step, with keys only, checked
    against the journal: Keep, Release the chosen, Discard the chosen (asked
    first: Keep them, then Discard) and Release all."""
    ids = [e["id"] for e in held]

    tap.step = ("'Keep them for now' with message 1 ticked changes nothing: no journal line, "
                "no window")
    before = journal_lines(config)
    review_step_two(finch)
    tick(finch, "1. ")
    pick(finch, "Keep them for now")
    press(finch, "OK")
    af.wait_for("the review to close", lambda: "Ajar" not in finch.taskbar(), 10.0)
    assert journal_lines(config) == before, af.read_journal(config)[before:]
    assert finch.windows() == ["Buddy List"], f"windows: {finch.windows()}"
    tap.ok(tap.step)

    tap.step = ("'Release the chosen into the conversation' with message 1 ticked releases "
                "exactly message 1 into a conversation with Sam, at the time it came "
                "(review-release-chosen.txt)")
    review_step_two(finch)
    tick(finch, "1. ")
    pick(finch, "Release the chosen into the conversation")
    finch.save_screen("review-release-chosen")
    press(finch, "OK")
    released = af.wait_for("a released line", lambda: at_least(1, events(config, "released")))
    assert [e["id"] for e in released] == [ids[0]], released
    assert [e["id"] for e in events(config, "showing")] == [ids[0]]
    # With its own time (TZ=UTC here, as the journal's): the time it came,
    # not the time it was released.
    came = held[0]["time"][11:19]
    finch.wait_for_screen(rf"\({came}\) Sam: {re.escape(TEXTS[0])}", regex=True)
    assert not events(config, "discarded"), "a message was discarded"
    af.close_conversation(finch)
    tap.ok(tap.step)

    tap.step = ("'Discard the chosen…' asks first (review-discard-question.txt): 'Keep them' "
                "keeps the message, 'Discard' discards exactly it")
    for answer in ("Keep them", "Discard"):
        before = journal_lines(config)
        step_two = review_step_two(finch)
        assert TEXTS[0] not in step_two, f"a released message is still listed:\n{step_two}"
        tick(finch, "1. ")
        pick(finch, "Discard the chosen…")
        press(finch, "OK")
        question = finch.wait_for_screen("Discard 1 message from Sam?")
        finch.save_screen("review-discard-question")
        assert "until it is compacted" in question, question
        if answer == "Keep them":
            # The default button: Enter alone answers it.
            finch.send_keys("Enter")
        else:
            press(finch, "Discard")
        af.wait_for("the question to close", lambda: "Ajar" not in finch.taskbar(), 10.0)
        if answer == "Keep them":
            assert journal_lines(config) == before, af.read_journal(config)[before:]
    discarded = events(config, "discarded")
    assert [e["id"] for e in discarded] == [ids[1]], discarded
    assert len(events(config, "released")) == 1, "a message was released"
    tap.ok(tap.step)

    tap.step = ("'Release all into the conversation' releases the last one held; the "
                "discarded one stays out")
    review_step_two(finch)
    pick(finch, "Release all into the conversation")
    press(finch, "OK")
    released = af.wait_for("a second released line",
                           lambda: at_least(2, events(config, "released")))
    assert [e["id"] for e in released] == [ids[0], ids[2]], released
    screen = finch.wait_for_screen(TEXTS[2])
    assert TEXTS[1] not in screen, f"the discarded text is shown:\n{screen}"
    finch.save_screen("review-released-all")
    af.close_conversation(finch)
    tap.ok(tap.step)

    tap.step = ("the review then offers only 'Recently discarded: 1'; 'Bring back the chosen' "
                "journals restored for the discarded one, which is held again "
                "(review-recently-discarded.txt)")
    step_one = open_review_step_one(finch)
    assert re.search(r"Recently discarded: 1, newest", step_one), step_one
    assert "Sam:" not in step_one, f"nothing of Sam's is kept, yet:\n{step_one}"
    step_two = press_read(finch, step_one)
    assert "Recently discarded" in step_two and TEXTS[1] in step_two, step_two
    tick(finch, "1. ")
    pick(finch, DISCARDED_OPTIONS[1], DISCARDED_OPTIONS)
    finch.save_screen("review-recently-discarded")
    press(finch, "OK")
    restored = af.wait_for("a restored line", lambda: at_least(1, events(config, "restored")))
    assert [e["id"] for e in restored] == [ids[1]], restored
    step_one = open_review_step_one(finch)
    assert re.search(r"Sam: 1 held", step_one), step_one
    finch.close_window("Ajar")
    tap.ok(tap.step)


def open_review_step_one(finch):
    """Plugins ▸ Ajar ▸ Review held messages…; returns the screen of step one."""
    af.plugin_action(finch, "Ajar", "Review held messages…")
    af.wait_for("the review's first step",
                lambda: "Ajar" in (finch.focused() or "") and "Read" in finch.screen())
    return finch.screen()


def press_read(finch, step_one):
    """Moves to the Read button (Tab) and presses it; returns the screen of
    the step that follows, once it has replaced step one."""
    finch.choose("Read", key="Tab")
    finch.send_keys("Enter")
    return af.wait_for("the review's second step",
                       lambda: (lambda s: s if s != step_one and "Ajar" in (finch.focused() or "")
                                and not re.search(r"│ Read │", s) else None)(finch.screen()))


def scenario(tap, args, finch, config, env):
    """The steps; each raises af.Failure (or AssertionError) with what went wrong."""
    tap.step = "Finch starts in an 80x24 terminal with the built ajar.so and signs in to prosody"
    finch.start()
    af.wait_signed_on(finch)
    link = os.path.join(config, "plugins", "ajar.so")
    assert f"Loading saved plugin {link}" in finch.finch_log(), "Ajar not loaded from the profile"
    assert finch.windows() == ["Buddy List"], f"windows: {finch.windows()}"
    finch.save_screen("1-buddy-list")
    tap.ok(tap.step)

    tap.step = "in a conversation with Sam, `/ajar hold` writes a hold rule for Sam into rules.json"
    af.open_conversation(finch)
    finch.type_line("/ajar hold")
    finch.wait_for_screen("Ajar: their messages will be held")
    rules_path = os.path.join(config, "ajar", "rules.json")
    rule = af.wait_for("a rule in rules.json", lambda: json.load(open(rules_path))["rules"])
    assert len(rule) == 1 and rule[0]["name"] == "Sam", f"rules: {rule}"
    assert rule[0]["incoming"] == {"action": "hold"}, f"rule: {rule[0]}"
    assert [m["buddy"] for m in rule[0]["match"]] == ["sam@example.org"], rule[0]["match"]
    finch.save_screen("2-conversation-hold")
    tap.ok(tap.step)

    tap.step = "Alt-c closes Sam's conversation; only the buddy list is left"
    af.close_conversation(finch)
    assert finch.windows() == ["Buddy List"], f"windows: {finch.windows()}"
    tap.ok(tap.step)

    tap.step = "Sam writes 3 messages over XMPP; they are journaled held, word for word"
    send_messages(env["AJAR_XMPP_HOST"], int(env["AJAR_XMPP_PORT"]), "sam@example.org",
                  env["AJAR_XMPP_PASSWORD"], "you@example.org", TEXTS, resource="phone")
    held = af.wait_for("3 held lines in the journal", lambda: at_least(3, events(config, "held")))
    expected = [html.escape(text, quote=False) for text in TEXTS]
    assert [e["text"] for e in held] == expected, f"held texts: {[e['text'] for e in held]}"
    for e in held:
        assert e["dir"] == "in" and e["rule"] == "Sam" and e["protocol"] == "prpl-jabber", e
        assert e["buddy"].startswith("sam@example.org"), e
    tap.ok(tap.step)

    tap.step = "nothing was shown: no conversation window, none of the texts on screen, no chat log"
    # Finch writes the journal line before it withholds the message, so give
    # its main loop a round trip (the menu opens and closes: Finch has handled
    # everything that came before) before looking.
    finch.focus("Buddy List")
    finch.send_keys("C-o")
    finch.wait_for_screen(" Options ")
    finch.send_keys("Escape")
    finch.wait_screen_without(" Options ")
    screen = finch.screen()
    assert finch.windows() == ["Buddy List"], f"windows: {finch.windows()}\n{screen}"
    shown = [text for text in TEXTS if text in screen]
    assert not shown, f"on screen: {shown}\n{screen}"
    logs = os.path.join(config, "logs")
    logged = [os.path.join(d, f) for d, _, fs in os.walk(logs) for f in fs]
    assert not logged, f"chat log files: {logged}"
    finch.save_screen("3-after-held")
    tap.ok(tap.step)

    tap.step = ("Buddy List ▸ Ctrl-O ▸ Plugins ▸ Ajar ▸ Review held messages… opens the "
                "review: Sam and the count 3 on one line (review-step-1.txt)")
    step_one = open_review_step_one(finch)
    finch.save_screen("review-step-1")
    assert re.search(r"Sam\b.*\b3\b", step_one), f"no line with Sam and 3:\n{step_one}"
    assert not [text for text in TEXTS if text in step_one], f"texts on step one:\n{step_one}"
    tap.ok(tap.step)

    tap.step = "'Read' opens the review's second step (review-step-2.txt)"
    step_two = press_read(finch, step_one)
    finch.save_screen("review-step-2")
    readable = [text for text in TEXTS if text in step_two]
    tap.ok(tap.step)
    tap.note(f"the second step shows {len(readable)} of the 3 texts whole on 80x24: {readable}")

    finch.close_window("Ajar")
    drive_review_step_two(tap, finch, config, held)

    tap.step = ("cooling-off: `/ajar cooloff 10` then \"hello later\": the conversation says "
                "it will be sent in 10 min, the journal says queued")
    af.open_conversation(finch)
    finch.type_line("/ajar cooloff 10")
    finch.wait_for_screen("Ajar: your messages will wait 10 min")
    finch.type_line(LATER)
    finch.wait_for_screen("Ajar: this will be sent in 10 min.")
    queued = af.wait_for("a queued line", lambda: at_least(1, events(config, "queued")))
    assert len(queued) == 1 and queued[0]["text"] == LATER and queued[0]["dir"] == "out", queued
    finch.save_screen("4-cooloff")
    tap.ok(tap.step)

    tap.step = "`/ajar cancel` keeps it unsent: the journal says cancelled"
    finch.type_line("/ajar cancel")
    cancelled = af.wait_for("a cancelled line", lambda: at_least(1, events(config, "cancelled")))
    assert [e["id"] for e in cancelled] == [queued[0]["id"]], cancelled
    assert not events(config, "sent"), "a message was sent"
    finch.wait_for_screen("Ajar: 1 message kept unsent.")
    finch.save_screen("5-cancelled")
    af.close_conversation(finch)
    tap.ok(tap.step)

    tap.step = ("Plugins window ▸ Ajar ▸ Configure Plugin shows Ajar's preferences "
                "(preferences.txt)")
    prefs = af.open_plugin_preferences(finch)
    finch.save_screen("preferences")
    for label in ("When a message is held back", "Default cooling-off (minutes)",
                  "Default digest time (HH:MM)"):
        assert label in prefs, f"{label!r} not in:\n{prefs}"
    finch.close_window("Preferences")
    finch.close_window("Plugins")
    tap.ok(tap.step)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", default=os.environ.get("AJAR_PLUGIN"), required=False)
    parser.add_argument("--log-dir", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    tap = Tap()

    missing = af.tools_missing()
    if missing or not args.plugin:
        tap.not_ok("the programs the test runs are installed",
                   f"missing: {missing or 'the plugin (--plugin)'}; "
                   "scripts/test installs them (AJAR_FINCH_PACKAGES in scripts/lib.sh)")
        print(f"1..{tap.count}")
        return 1

    shutil.rmtree(args.log_dir, ignore_errors=True)
    os.makedirs(args.log_dir)
    config = os.path.join(args.log_dir, "config")
    servers = Servers("ajar-finch-servers.")
    session = ap.Session(args.log_dir)  # a subreaper: prosody and tmux come back to us
    finch = af.Finch(args.log_dir, config)
    tap.step = "a local prosody with accounts you and sam"
    problems = []
    try:
        env = servers.start()
        af.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"])
        tap.ok(tap.step)
        scenario(tap, args, finch, config, env)
    except Exception as why:  # any failure is reported, then everything is stopped
        tap.not_ok(tap.step, f"{type(why).__name__}: {why}")
        if finch.server_pid:
            path, text = finch.save_screen("failure")
            tap.note(f"the screen at the failure ({path}):\n{text}")
        tail = [line[:160] for line in finch.finch_log().splitlines()[-15:]]
        print("# last lines of finch.log:", *[f"#   {line}" for line in tail], sep="\n")
    finally:
        problems = finch.stop()
        left = servers.stop(session, finch.sessions())
    if problems or left:
        tap.not_ok("everything stopped, nothing left running", f"{problems}; left: {left}")
    else:
        tap.ok("Finch quit on Alt-q; tmux and prosody stopped; no process left")
    print(f"# screens (text) and logs: {args.log_dir}")
    print(f"# took {time.monotonic() - started:.1f}s")
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
