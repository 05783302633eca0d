"""pidgin-demo.py — the Pidgin part of scripts/demo (run it through scripts/demo).

    /usr/bin/python3 scripts/pidgin-demo.py --plugin AJAR_SO --ajar AJAR_CLI --out DIR [--display]

Expects the servers' variables (AJAR_XMPP_*) in its environment: scripts/demo
runs it under `scripts/servers run --xmpp you sam`. Pidgin gets a throwaway
profile in DIR/profile (never ~/.purple) and a private D-Bus bus.

Without --display: Pidgin runs under Xvfb; the demo puts Sam on hold with the
mouse (right-click Sam ▸ Ajar ▸ Hold their messages), Sam writes three
messages, and the demo opens the review, saves screenshots in DIR and says
what happened. With --display: Pidgin opens on $DISPLAY with Sam already on
hold; Sam writes; the person looks for themselves. Everything the demo started
stops when it ends (with --display: when Pidgin is closed).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ajar_pidgin as ap  # noqa: E402
from xmpp_send import send_messages  # noqa: E402

TEXTS = ["are you awake?", "I left something at your door", "please answer, just once"]
HOLD_SAM = {
    "version": 1,
    "rules": [{
        "name": "Sam",
        "match": [{"account": "you@example.org", "protocol": "prpl-jabber",
                   "buddy": "sam@example.org"}],
        "incoming": {"action": "hold"},
    }],
    "settings": {"notify": "count"},
}


def say(text=""):
    print(text, flush=True)


def sam_writes(config):
    send_messages(os.environ["AJAR_XMPP_HOST"], int(os.environ["AJAR_XMPP_PORT"]),
                  "sam@example.org", os.environ["AJAR_XMPP_PASSWORD"], "you@example.org",
                  TEXTS, resource="phone")
    return ap.wait_for(
        f"Ajar to keep Sam's {len(TEXTS)} messages",
        lambda: (lambda held: held if len(held) >= len(TEXTS) else None)(
            [e for e in ap.read_journal(config) if e.get("event") == "held"]))


def journal_and_list(config, ajar_cli):
    say(f"The journal, {os.path.join(config, 'ajar', 'journal.jsonl')}:")
    for line in ap.journal_lines(config):
        say(f"  {line}")
    listing = subprocess.run([ajar_cli, "--dir", config, "list"], capture_output=True,
                             text=True, env=dict(os.environ, COLUMNS="100"))
    if listing.returncode == 0 and listing.stdout.strip():
        say()
        say(f"The same, read with the ajar command (ajar --dir {config} list):")
        for line in listing.stdout.splitlines():
            say(f"  {line}")


def headless(args, session, config, out):
    shots = []
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(out, "logs", "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    ap.wait_signed_on(session)
    say("Pidgin (under Xvfb, display %s) signed in as you@example.org, with Ajar." % session.display)

    items = ap.open_ajar_menu(ui, blist)
    shots.append((ap.screenshot(session, os.path.join(out, "1-buddy-menu.png")),
                  "Sam's menu in the buddy list, with Ajar's items"))
    ui.click(ui.popup_item("Hold their messages"))
    rules = ap.wait_for("Ajar to write the rule",
                        lambda: json.load(open(os.path.join(config, "ajar", "rules.json")))["rules"])
    say(f"You put Sam on hold: right-click Sam ▸ Ajar ▸ Hold their messages "
        f"(the menu has: {', '.join(items)}).")
    say(f"rules.json now says: {json.dumps(rules[0]['incoming'])} for \"{rules[0]['name']}\".")

    held = sam_writes(config)
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    windows = ap.visible_windows(session)
    logged = [f for _, _, files in os.walk(os.path.join(config, "logs")) for f in files]
    nothing = windows == ["Buddy List"] and not logged
    say(f"Sam wrote {len(TEXTS)} messages. {len(held)} messages from sam were held; "
        + ("nothing was shown." if nothing else "but something was shown!"))
    say(f"  Windows on the screen: {', '.join(windows)} (no conversation opened).")
    say("  Pidgin's chat log: " + ("empty." if not logged else f"{logged}"))

    review, people = ap.open_review(ui, blist)
    shots.append((ap.screenshot(session, os.path.join(out, "2-review-counts.png")),
                  "Tools ▸ Ajar ▸ Review held messages…: first only counts"))
    review, content, chosen = ap.read_review(ui, review)
    shots.append((ap.screenshot(session, os.path.join(out, "3-review.png")),
                  "the review's next step: the messages, to keep, release or discard"))
    say(f"Tools ▸ Ajar ▸ Review held messages… says: \"{people[0]}\"; "
        f"its next step lists {len(chosen)} messages.")
    say("They stay held: this demo leaves the choice to you.")
    say()
    journal_and_list(config, args.ajar)
    say()
    say("Screenshots:")
    for path, what in shots:
        shown = os.path.relpath(path)
        say(f"  {path if shown.startswith('..') else shown}  — {what}")
    return 0 if nothing and len(held) == len(TEXTS) and len(chosen) == len(TEXTS) else 1


def with_display(args, session, config, out):
    session.start_display()
    session.start_bus()
    pidgin = session.start_pidgin(config, accessible=False)
    say(f"Pidgin is opening on your display ({session.display}) with a throwaway profile,")
    say("signed in as you@example.org. Sam is on hold (Ajar ▸ Hold their messages).")
    held = sam_writes(config)
    windows = ap.visible_windows(session, pid=pidgin.pid)
    shown = [w for w in windows if w != "Buddy List"]
    say(f"Sam just wrote {len(TEXTS)} messages. {len(held)} messages from sam were held; "
        + (f"but Pidgin shows {shown}!" if shown else "nothing was shown."))
    say()
    say("Now it is your turn, in the Pidgin window:")
    say("  - Tools ▸ Ajar ▸ Review held messages… shows what is kept, then the messages;")
    say("    release them into the conversation, keep them, or discard them;")
    say("  - right-click Sam ▸ Ajar for the other choices (archive, delay, cooling-off).")
    say("Close Pidgin (Buddies ▸ Quit) when you are done; the demo then stops what it started.")
    pidgin.wait()
    say()
    journal_and_list(config, args.ajar)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--ajar", required=True, help="the built ajar command")
    parser.add_argument("--out", required=True)
    parser.add_argument("--display", action="store_true", help="use $DISPLAY")
    args = parser.parse_args()

    out = os.path.abspath(args.out)
    for old in ("profile", "logs"):
        shutil.rmtree(os.path.join(out, old), ignore_errors=True)
    for old in os.listdir(out) if os.path.isdir(out) else []:
        if old.endswith(".png"):
            os.unlink(os.path.join(out, old))
    os.makedirs(os.path.join(out, "logs", "home"), exist_ok=True)
    config = os.path.join(out, "profile")
    ap.write_profile(config, args.plugin, os.environ["AJAR_XMPP_PORT"],
                     rules=HOLD_SAM if args.display else None)
    session = ap.Session(os.path.join(out, "logs"),
                         display=os.environ["DISPLAY"] if args.display else None)
    status = 1
    try:
        status = (with_display if args.display else headless)(args, session, config, out)
    except KeyboardInterrupt:
        say("Interrupted.")
    except Exception as why:  # said in one line; the logs have the rest
        say(f"The demo did not get through: {why}")
        say(f"Pidgin's log: {os.path.join(out, 'logs', 'pidgin.log')}")
    finally:
        killed = session.stop()
        left = session.leftovers()
    if killed or left:
        say(f"Stopping did not go cleanly: forced {killed or 'nothing'}; still running: {left}")
        status = 1
    else:
        say("Pidgin" + ("" if args.display else ", Xvfb") + " and the demo's D-Bus have stopped.")
    return status


if __name__ == "__main__":
    sys.exit(main())
