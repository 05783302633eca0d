"""Real Pidgin, real XMPP: Ajar holds Sam's messages, and every review action
does what its label says.

    /usr/bin/python3 tests/pidgin/test-pidgin.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody (scripts/servers), Xvfb on a free display, a private
D-Bus bus and Debian's Pidgin with a throwaway --config folder in which the
built ajar.so is enabled. Then, as a person would, with the mouse: right-click
Sam ▸ Ajar ▸ Hold their messages. Sam (scripts/xmpp_send.py, a real XMPP
client) writes four messages, one of them markup-like text. The test checks
that they are journaled `held`, that no window opened and nothing reached
Pidgin's chat log, and opens Tools ▸ Ajar ▸ Review held messages… five times:
  - the review's steps: counts first, then the texts (the dialog's secondary
    text), a check box per message and the options; markup-like text literal;
  - "Keep them for now" with a message ticked: no journal line, no window;
  - one ticked, "Release the chosen into the conversation": `showing` and
    `released` for exactly that message, which appears in the conversation;
  - another ticked, "Discard the chosen…": the question; "Keep them" changes
    nothing; again, "Discard": `discarded` for exactly that one, nothing shown;
  - "Release all into the conversation": the rest `released`, shown literally.
Screenshots (the menu, both steps, the discard question, the conversation) go
to DIR. Output is TAP; everything it started is stopped at the end, even on
failure, and the test fails if a process is left.
"""

import html
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from ajar_tap import Servers  # noqa: E402
from xmpp_send import send_messages  # noqa: E402

# Distinct, so each check box and each line in the conversation is one of
# them; the third is markup-like text Sam typed, to be shown as typed.
TEXTS = ["are you awake?", "I miss you & the cat", "<b>not bold</b> & fine",
         "can we talk tonight?"]
# The first line of each page of the review's second step.
INTRO = "Tick the messages, then choose below what to do with them."
MARKUP = TEXTS[2]
OPTIONS = ["Keep them for now", "Release the chosen into the conversation",
           "Release all into the conversation", "Discard the chosen…"]
MENU = ["Hold their messages", "Archive unread", "Delay their messages…",
        "Cooling-off on my messages…", "Review held messages…", "Turn off"]


def events(config, kind):
    return [e for e in ap.read_journal(config) if e.get("event") == kind]


def new_events(config, before):
    """The journal's events after its first `before` lines: [(event, id)]."""
    return [(e.get("event"), e.get("id")) for e in ap.read_journal(config)[before:]]


def conversation_text(ui, conv):
    return "\n".join(ui.text(x) for x in ui.find_all(conv, "text"))


def review_round(ui, blist, held_count):
    """Tools ▸ Ajar ▸ Review held messages…, checks step one's count, Read;
    returns step two's dialog, its text and its check boxes' labels."""
    review, people = ap.open_review(ui, blist)
    assert people and people[0].startswith(f"Sam: {held_count} held"), \
        f"step one lists {people}, expected 'Sam: {held_count} held…' first"
    return ap.read_review(ui, review)


def ok_and_wait(ui, review):
    """Presses OK in step two and waits until the dialog is gone: libpurple
    calls the review's callback (which writes the journal) before it closes it."""
    ap.press(ui, review, "OK")
    ap.wait_closed(ui, "Ajar — review")


def scenario(tap, args, session, config, env):
    """The steps; each raises ap.Failure (or AssertionError) with what went wrong."""
    shots = args.log_dir
    tap.step = "Pidgin starts with the built ajar.so enabled and connects to prosody"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    link = os.path.join(config, "plugins", "ajar.so")
    ap.wait_signed_on(session)
    assert f"Loading saved plugin {link}" in session.pidgin_log(), "Ajar not loaded from the profile"
    tap.ok(tap.step)

    tap.step = "right-click Sam ▸ Ajar shows Ajar's items (screenshot buddy-menu.png)"
    shown = ap.open_ajar_menu(ui, blist)
    assert shown == MENU, f"Ajar's submenu shows {shown}, expected {MENU}"
    ap.screenshot(session, os.path.join(shots, "buddy-menu.png"))
    tap.ok(tap.step)

    tap.step = "Ajar ▸ Hold their messages writes a hold rule for Sam into rules.json"
    ui.click(ui.popup_item("Hold their messages"))
    rules_path = os.path.join(config, "ajar", "rules.json")
    rule = ap.wait_for("a rule in rules.json", lambda: json.load(open(rules_path))["rules"])
    assert len(rule) == 1 and rule[0]["name"] == "Sam", f"rules: {rule}"
    assert rule[0]["incoming"] == {"action": "hold"}, f"rule: {rule[0]}"
    buddies = [m["buddy"] for m in rule[0]["match"]]
    assert buddies == ["sam@example.org"], f"match: {rule[0]['match']}"
    tap.ok(tap.step)

    tap.step = f"Sam writes {len(TEXTS)} messages over XMPP; they are journaled held, word for word"
    send_messages(env["AJAR_XMPP_HOST"], int(env["AJAR_XMPP_PORT"]), "sam@example.org",
                  env["AJAR_XMPP_PASSWORD"], "you@example.org", TEXTS, resource="phone")
    held = ap.wait_for(f"{len(TEXTS)} held lines in the journal",
                       lambda: (lambda h: h if len(h) >= len(TEXTS) else None)(
                           events(config, "held")))
    # The journal keeps the text as libpurple gave it: XMPP bodies as markup,
    # so what Sam typed as "<b>" is "&lt;b&gt;" there.
    expected = [html.escape(text, quote=False) for text in TEXTS]
    assert [e["text"] for e in held] == expected, f"held texts: {[e['text'] for e in held]}"
    for e in held:
        assert e["dir"] == "in" and e["rule"] == "Sam" and e["protocol"] == "prpl-jabber", e
        assert e["buddy"].startswith("sam@example.org"), e
    ids = {text: e["id"] for text, e in zip(TEXTS, held)}
    tap.ok(tap.step)

    tap.step = "nothing was shown: no conversation window, no line in Pidgin's chat log"
    # The journal line is written before the message is withheld; give Pidgin
    # the chance to (wrongly) open a window: a round trip through its main loop.
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List"], f"windows on screen: {x_windows}"
    assert ui.windows() == [("frame", "Buddy List")], f"Pidgin's windows: {ui.windows()}"
    logs = os.path.join(config, "logs")
    logged = [os.path.join(d, f) for d, _, fs in os.walk(logs) for f in fs]
    assert not logged, f"chat log files: {logged}"
    tap.ok(tap.step)

    tap.step = (f"Tools ▸ Ajar ▸ Review held messages… opens the review: "
                f"'Sam: {len(TEXTS)} held' (review-counts.png)")
    before = len(ap.journal_lines(config))
    review, people = ap.open_review(ui, blist)
    assert len(people) == 1 and people[0].startswith(f"Sam: {len(TEXTS)} held"), \
        f"review lists {people}"
    ap.screenshot(session, os.path.join(shots, "review-counts.png"))
    tap.ok(tap.step)

    tap.step = ("'Read' shows step two: the texts numbered, a check box per message, "
                "the options, 'Keep them for now' chosen (review.png)")
    review, content, boxes = ap.read_review(ui, review)
    numbered = INTRO + "\n\n" + "\n".join(f"{n}. {text}" for n, text in enumerate(TEXTS, 1))
    assert content == numbered, f"the review's text is {content!r}, expected {numbered!r}"
    assert len(boxes) == len(TEXTS) and all(
        b.startswith(f"{n}. ") and b.endswith(f", held — {t}")
        for n, (b, t) in enumerate(zip(boxes, TEXTS), 1)), f"check boxes: {boxes}"
    ticked = [b.name for b in ui.find_all(review, "check box")
              if b.getState().contains(ui.pyatspi.STATE_CHECKED)]
    assert not ticked, f"ticked at first: {ticked}"
    options = ap.review_options(ui, review)
    assert options == OPTIONS, f"options: {options}, expected {OPTIONS}"
    chosen = [c.name for c in ui.find_all(review, "table cell", visible=False)
              if c.getState().contains(ui.pyatspi.STATE_SELECTED)]
    assert chosen == [OPTIONS[0]], f"chosen at first: {chosen}"
    buttons = sorted(b.name for b in ui.find_all(review, "push button"))
    assert buttons == ["Close", "OK"], f"buttons: {buttons}"
    ap.screenshot(session, os.path.join(shots, "review.png"))
    tap.ok(tap.step)

    tap.step = f"markup-like text from Sam shows literally in the review: {MARKUP!r}, not bold"
    # A label given markup would read "not bold & fine" (the tags gone) and
    # carry a bold run; this one must read what Sam typed, in one plain run.
    label = ui.find(review, "label", match=lambda n: MARKUP in n)
    assert label is not None, f"no label with {MARKUP!r}: {content!r}"
    text = label.queryText()
    start = ui.text(label).index("not bold")
    attributes, run_start, run_end = text.getAttributes(start)
    weight = [a for a in text.getDefaultAttributes().split(";") if a.startswith("weight:")]
    assert not any(a.startswith("weight:") for a in attributes), \
        f"'not bold' has its own weight: {attributes}"
    assert weight == ["weight:400"] and run_start == 0 and run_end == text.characterCount, \
        f"the text's runs: {attributes} {run_start}-{run_end}, default {weight}"
    assert any(b.endswith(f"— {MARKUP}") for b in boxes), f"check boxes: {boxes}"
    tap.ok(tap.step)

    tap.step = ("(a) 'Keep them for now' with message 1 ticked (chosen again after "
                "'Discard the chosen…'): no journal line, no window")
    ap.tick(ui, review, TEXTS[0])
    # Down to the last option and back up (the list scrolls): what counts
    # is what is chosen when OK is pressed.
    ap.choose(ui, review, "Discard the chosen…")
    ap.choose(ui, review, "Keep them for now")
    ok_and_wait(ui, review)
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    assert new_events(config, before) == [], f"new journal lines: {new_events(config, before)}"
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List"], f"windows on screen: {x_windows}"
    tap.ok(tap.step)

    tap.step = ("(b) message 1 ticked, 'Release the chosen into the conversation': showing and "
                "released for exactly it; it appears in a conversation with Sam")
    before = len(ap.journal_lines(config))
    review, content, boxes = review_round(ui, blist, len(TEXTS))
    ap.tick(ui, review, TEXTS[0])
    ap.choose(ui, review, "Release the chosen into the conversation")
    ok_and_wait(ui, review)
    one = [("showing", ids[TEXTS[0]]), ("released", ids[TEXTS[0]])]
    assert new_events(config, before) == one, \
        f"new journal lines: {new_events(config, before)}, expected {one}"
    conv = ui.wait_window("Sam")
    # Below the dialogs, so no later dialog opens over it and it over none.
    ui.place("^Sam$", 410, 400, 560, 390)
    ap.wait_for(f"{TEXTS[0]!r} in the conversation",
                lambda: TEXTS[0] in conversation_text(ui, conv))
    others = [t for t in TEXTS[1:] if t in conversation_text(ui, conv)]
    assert not others, f"also in the conversation: {others}"
    tap.ok(tap.step)

    tap.step = ("(c) another ticked, 'Discard the chosen…' asks 'Discard 1 message from Sam?' "
                "with Discard and Keep them (the default) (discard.png)")
    before = len(ap.journal_lines(config))
    review, content, boxes = review_round(ui, blist, len(TEXTS) - 1)
    assert TEXTS[0] not in content, f"the released message is still listed: {content!r}"
    ap.tick(ui, review, TEXTS[1])
    ap.choose(ui, review, "Discard the chosen…")
    ap.screenshot(session, os.path.join(shots, "review-chosen.png"))
    ok_and_wait(ui, review)
    question = ui.wait_window("Ajar — discard")
    said = [ui.text(x) for x in ui.find_all(question, "label")]
    assert said and said[0].startswith("Discard 1 message from Sam?"), f"the question: {said}"
    buttons = {b.name: b for b in ui.find_all(question, "push button")}
    assert sorted(buttons) == ["Discard", "Keep them"], f"buttons: {sorted(buttons)}"
    default = [n for n, b in buttons.items()
               if b.getState().contains(ui.pyatspi.STATE_IS_DEFAULT)]
    assert default == ["Keep them"], f"the default answer: {default}"
    ap.screenshot(session, os.path.join(shots, "discard.png"))
    tap.ok(tap.step)

    tap.step = "(c) answering 'Keep them' changes nothing: no journal line, nothing shown"
    ap.press(ui, question, "Keep them")
    ap.wait_closed(ui, "Ajar — discard")
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    assert new_events(config, before) == [], f"new journal lines: {new_events(config, before)}"
    assert TEXTS[1] not in conversation_text(ui, conv), "the kept message was shown"
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List", "Sam"], f"windows on screen: {x_windows}"
    tap.ok(tap.step)

    tap.step = ("(c) again, answering 'Discard': discarded for exactly that message, "
                "nothing shown")
    review, content, boxes = review_round(ui, blist, len(TEXTS) - 1)
    assert TEXTS[1] in content, f"the message kept by 'Keep them' is not listed: {content!r}"
    ap.tick(ui, review, TEXTS[1])
    ap.choose(ui, review, "Discard the chosen…")
    ok_and_wait(ui, review)
    question = ui.wait_window("Ajar — discard")
    ap.press(ui, question, "Discard")
    ap.wait_closed(ui, "Ajar — discard")
    gone = [("discarded", ids[TEXTS[1]])]
    assert new_events(config, before) == gone, \
        f"new journal lines: {new_events(config, before)}, expected {gone}"
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    assert TEXTS[1] not in conversation_text(ui, conv), "the discarded message was shown"
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List", "Sam"], f"windows on screen: {x_windows}"
    tap.ok(tap.step)

    tap.step = ("(d) 'Release all into the conversation': the other two released, shown "
                "as Sam typed them (released.png)")
    before = len(ap.journal_lines(config))
    review, people = ap.open_review(ui, blist)
    assert len(people) == 2 and people[0].startswith("Sam: 2 held") and \
        people[1].startswith("Recently discarded: 1"), f"step one lists {people}"
    review, content, boxes = ap.read_review(ui, review)
    rest = TEXTS[2:]
    numbered = INTRO + "\n\n" + "\n".join(f"{n}. {text}" for n, text in enumerate(rest, 1))
    assert content == numbered, f"the review's text is {content!r}, expected {numbered!r}"
    ap.choose(ui, review, "Release all into the conversation")
    ok_and_wait(ui, review)
    both = [(kind, ids[t]) for t in rest for kind in ("showing", "released")]
    assert new_events(config, before) == both, \
        f"new journal lines: {new_events(config, before)}, expected {both}"
    # Literally: had the conversation rendered it, it would read "not bold & fine".
    ap.wait_for("the released messages in the conversation, as Sam typed them",
                lambda: all(t in conversation_text(ui, conv) for t in rest))
    assert TEXTS[1] not in conversation_text(ui, conv), "the discarded message was shown"
    ap.screenshot(session, os.path.join(shots, "released.png"))
    tap.ok(tap.step)

    tap.step = "in the end each message has one outcome: 3 released, 1 discarded"
    released = sorted(e["id"] for e in events(config, "released"))
    assert released == sorted(ids[t] for t in TEXTS if t != TEXTS[1]), released
    discarded = [e["id"] for e in events(config, "discarded")]
    assert discarded == [ids[TEXTS[1]]], discarded
    tap.ok(tap.step)


def main():
    def setup(args, session, config, env):
        ap.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"])
        return lambda tap: scenario(tap, args, session, config, env)

    return ap.run_test(Servers("ajar-pidgin-servers."),
                       "a local prosody with accounts you and sam", setup)


if __name__ == "__main__":
    sys.exit(main())
