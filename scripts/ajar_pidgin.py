"""ajar_pidgin.py — real Pidgin with the built ajar.so, driven like a person would.

Shared by the Pidgin test (tests/pidgin/test-pidgin.py) and scripts/demo.
Run with Debian's /usr/bin/python3: it needs python3-pyatspi (scripts/lib.sh
AJAR_PIDGIN_PACKAGES).

What it gives:
  Session     starts and stops, each in its own process group, what a run needs:
              Xvfb on a free display (unless a display is given), a private
              D-Bus session bus (Pidgin's single-instance check and the
              accessibility bus live there, never on the user's own), and
              Pidgin with a throwaway --config folder.
  write_profile  prepares that folder: the account you@DOMAIN on the local
              server, Sam in the buddy list, Ajar enabled (plugins/ajar.so is a
              symlink to the built file).
  Ui          finds widgets through the accessibility tree (AT-SPI: the names
              a screen reader would read) and clicks them with the real mouse
              (xdotool), so menus open the way they open for a person.
  run_test    a tests/pidgin script's main(): arguments, servers, the
              scenario, a failure's screenshot, and checking that nothing is
              left running.
Every wait is bounded and polls; nothing sleeps blindly.
"""

import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import time

WAIT = 30.0  # seconds any single wait may take before it fails
POLL = 0.1


class Failure(Exception):
    """Something a run needed did not happen; the message says what."""


def wait_for(what, probe, timeout=WAIT):
    """Polls probe() until it returns something true; returns that or raises Failure."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except Exception:  # an accessible object went away mid-look: look again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(POLL)


# ---- the throwaway Pidgin profile -------------------------------------------

def write_profile_files(config, plugin, port, ui, resource, prefs_xml, domain="example.org",
                        password="secret", buddy="sam", alias="Sam", rules=None):
    """Writes a throwaway libpurple profile into config for the client whose
    UI id is ui (Pidgin "gtk-gaim", Finch "gnt-purple"): accounts.xml (the
    account you@DOMAIN/RESOURCE on the local server, signing in by itself),
    blist.xml (Sam), prefs.xml as prefs_xml(link) returns it for link, the
    path of plugins/ajar.so (a symlink to the built file), and, unless rules
    is None, ajar/rules.json from that dict. Returns the account name."""
    account = f"you@{domain}/{resource}"
    os.makedirs(os.path.join(config, "plugins"), exist_ok=True)
    link = os.path.join(config, "plugins", "ajar.so")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.abspath(plugin), link)
    files = {
        # Auto-login is a per-UI setting.
        "accounts.xml": f"""<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
 <account>
  <protocol>prpl-jabber</protocol>
  <name>{account}</name>
  <password>{password}</password>
  <alias>You</alias>
  <settings>
   <setting name='connect_server' type='string'>127.0.0.1</setting>
   <setting name='port' type='int'>{int(port)}</setting>
   <setting name='connection_security' type='string'>opportunistic_tls</setting>
   <setting name='auth_plain_in_clear' type='bool'>1</setting>
  </settings>
  <settings ui='{ui}'>
   <setting name='auto-login' type='bool'>1</setting>
  </settings>
 </account>
</account>
""",
        "blist.xml": f"""<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'>
 <blist>
  <group name='Friends'>
   <contact>
    <buddy account='{account}' proto='prpl-jabber'>
     <name>{buddy}@{domain}</name>
     <alias>{alias}</alias>
    </buddy>
   </contact>
  </group>
 </blist>
</purple>
""",
        "prefs.xml": prefs_xml(link),
    }
    for name, text in files.items():
        with open(os.path.join(config, name), "w", encoding="utf-8") as out:
            out.write(text)
    if rules is not None:
        os.makedirs(os.path.join(config, "ajar"), mode=0o700, exist_ok=True)
        path = os.path.join(config, "ajar", "rules.json")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            json.dump(rules, out, indent=2)
    return account


def write_profile(config, plugin, port, **options):
    """Pidgin's profile (write_profile_files(), options as there): Ajar
    loaded, nothing that pops up or makes noise (no tray icon, no sounds),
    Sam shown although offline (we never subscribe to their presence).
    Returns the account name (you@DOMAIN/Pidgin)."""
    def prefs(link):
        return f"""<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
 <pref name='pidgin'>
  <pref name='plugins'>
   <pref name='loaded' type='pathlist'>
    <item value='{link}'/>
   </pref>
  </pref>
  <pref name='docklet'>
   <pref name='show' type='string' value='never'/>
  </pref>
  <pref name='sound'>
   <pref name='method' type='string' value='none'/>
  </pref>
  <pref name='blist'>
   <pref name='show_offline_buddies' type='bool' value='1'/>
   <pref name='x' type='int' value='0'/>
   <pref name='y' type='int' value='0'/>
   <pref name='width' type='int' value='400'/>
   <pref name='height' type='int' value='500'/>
  </pref>
 </pref>
</pref>
"""

    return write_profile_files(config, plugin, port, "gtk-gaim", "Pidgin", prefs, **options)


def read_journal(config):
    """The journal's events (a list of dicts); [] when there is none yet."""
    path = os.path.join(config, "ajar", "journal.jsonl")
    try:
        with open(path, encoding="utf-8") as journal:
            lines = journal.read().splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def journal_lines(config):
    path = os.path.join(config, "ajar", "journal.jsonl")
    try:
        with open(path, encoding="utf-8") as journal:
            return [line for line in journal.read().splitlines() if line.strip()]
    except FileNotFoundError:
        return []


# ---- processes ------------------------------------------------------------------

def read_line(read_fd, what, timeout=WAIT):
    """The first line written to the pipe read_fd within timeout ("" if none)."""
    data = b""
    deadline = time.monotonic() + timeout
    with os.fdopen(read_fd, "rb") as pipe:
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                raise Failure(f"{what} did not start within {timeout:.0f}s")
            chunk = os.read(pipe.fileno(), 4096)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace").split("\n")[0].strip()


class Session:
    """Xvfb (unless display is given), a private D-Bus bus, Pidgin; stop() ends all."""

    def __init__(self, workdir, display=None):
        self.workdir = workdir
        self.display = display
        self.procs = []  # (name, Popen), each the leader of its own session
        self.env = dict(os.environ)
        self.pidgin = None
        # Orphans of what we start (the accessibility bus, which the D-Bus
        # daemon starts) are handed to this process, so stop() can reap
        # them rather than leave zombies to an init that may not.
        PR_SET_CHILD_SUBREAPER = 36
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def _spawn(self, name, argv, log, **kwargs):
        out = open(os.path.join(self.workdir, log), "ab")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True, **kwargs)
        out.close()
        self.procs.append((name, proc))
        return proc

    def start_display(self):
        if self.display:
            self.env["DISPLAY"] = self.display
            return self.display
        read_fd, write_fd = os.pipe()
        self._spawn("Xvfb", ["Xvfb", "-displayfd", str(write_fd), "-screen", "0",
                             "1280x800x24", "-nolisten", "tcp"], "xvfb.log",
                    pass_fds=(write_fd,))
        os.close(write_fd)
        number = read_line(read_fd, "Xvfb")  # written once it accepts clients
        if not number.isdigit():
            raise Failure("Xvfb did not start; see xvfb.log")
        self.display = f":{number}"
        self.env["DISPLAY"] = self.display
        return self.display

    def start_bus(self):
        read_fd, write_fd = os.pipe()
        self._spawn("dbus-daemon", ["dbus-daemon", "--session", "--nofork",
                                    f"--print-address={write_fd}"], "dbus.log",
                    pass_fds=(write_fd,))
        os.close(write_fd)
        address = read_line(read_fd, "dbus-daemon")
        if not address:
            raise Failure("dbus-daemon did not start; see dbus.log")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        # pyatspi (imported later, in this process) finds the accessibility
        # bus through this session bus.
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        os.environ["DISPLAY"] = self.display
        return address

    def start_pidgin(self, config, home=None, accessible=True):
        env = dict(self.env)
        if accessible:
            # gail: GTK 2's accessibility; atk-bridge: puts it on AT-SPI.
            env["GTK_MODULES"] = "gail:atk-bridge"
            env.pop("NO_AT_BRIDGE", None)
        if home:
            env["HOME"] = home
        self.pidgin = self._spawn("pidgin", ["pidgin", f"--config={config}", "--debug"],
                                  "pidgin.log", env=env)
        return self.pidgin

    def pidgin_log(self):
        try:
            with open(os.path.join(self.workdir, "pidgin.log"), encoding="utf-8",
                      errors="replace") as log:
                return log.read()
        except FileNotFoundError:
            return ""

    def stop(self):
        """Stops everything, newest first: SIGTERM to each process group, SIGKILL
        after 10 s. Returns the names of those that had to be killed."""
        killed = []
        for name, proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                killed.append(name)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
            # Children left in its session (at-spi-bus-launcher under the
            # bus, say) go too.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.settle()
        return killed

    def settle(self, sessions=(), timeout=5):
        """Reaps what ended (orphans come to us, see __init__) until nothing is
        left in our sessions and in the given ones, or timeout passes."""
        deadline = time.monotonic() + timeout
        while self.leftovers(sessions) and time.monotonic() < deadline:
            self.reap()
            time.sleep(POLL)
        self.reap()

    @staticmethod
    def reap(keep=()):
        """Reaps the zombies among our children that no Popen waits for (the
        orphans handed to us, see __init__); pids in keep are left alone."""
        me = os.getpid()
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in keep:
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat_file:
                    stat = stat_file.read()
            except OSError:
                continue
            state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
            if state == "Z" and int(ppid) == me:
                try:
                    os.waitpid(int(entry), os.WNOHANG)
                except ChildProcessError:
                    pass

    def run_reaping(self, argv):
        """Runs argv, reaping orphans meanwhile: a command that waits for one of
        them to end (scripts/servers stop) would otherwise wait for a zombie."""
        proc = subprocess.Popen(argv)
        while proc.poll() is None:
            self.reap(keep={proc.pid})
            time.sleep(POLL)
        return proc.returncode

    def leftovers(self, sessions=()):
        """Processes still in any session this Session started, or in the given
        ones ((name, session id) pairs): pgrep -s."""
        left = []
        for name, sid in [(name, proc.pid) for name, proc in self.procs] + list(sessions):
            found = subprocess.run(["pgrep", "-a", "-s", str(sid)], capture_output=True,
                                   text=True).stdout.strip()
            if found:
                left.append(f"{name}: {found}")
        return left


def screenshot(session, path):
    """The whole virtual screen as a PNG (imagemagick's import)."""
    subprocess.run(["import", "-window", "root", path], env=session.env, check=True,
                   capture_output=True)
    return path


def visible_windows(session, pid=None):
    """Names of the mapped top-level windows with a title, as X sees them
    (only those of process pid, when given)."""
    which = ["--pid", str(pid)] if pid else []
    out = subprocess.run(["xdotool", "search", "--onlyvisible", *which, "--name", "."],
                         env=session.env, capture_output=True, text=True).stdout.split()
    names = []
    for wid in out:
        name = subprocess.run(["xdotool", "getwindowname", wid], env=session.env,
                              capture_output=True, text=True).stdout.strip()
        if name:
            names.append(name)
    return sorted(set(names))


def tools_missing():
    """Programs this module runs that are not installed."""
    return [tool for tool in ("Xvfb", "dbus-daemon", "pidgin", "xdotool", "import", "pgrep")
            if shutil.which(tool) is None]


# ---- the user interface, through AT-SPI --------------------------------------

class Ui:
    """Pidgin's windows as a screen reader sees them, and a real mouse."""

    def __init__(self, session):
        import pyatspi  # here: it must see the private bus set by Session.start_bus

        self.pyatspi = pyatspi
        self.session = session

    def app(self):
        desktop = self.pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == "Pidgin":
                return app
        return None

    def showing(self, acc):
        return acc.getState().contains(self.pyatspi.STATE_SHOWING)

    def on_screen(self, acc):
        """Showing, or at a place on screen: GTK 2 does not tell a submenu's
        items that they are showing, but gives them a place only while mapped."""
        return self.showing(acc) or self.center(acc) is not None

    def windows(self):
        """Pidgin's top-level windows on screen: [(role, name)]."""
        app = self.app()
        found = []
        if app is None:
            return found
        for i in range(app.childCount):
            win = app.getChildAtIndex(i)
            if win is not None and self.showing(win) and win.getRoleName() != "window":
                found.append((win.getRoleName(), win.name))
        return found

    def window(self, name):
        """The top-level window (frame or dialog) called name, or None."""
        app = self.app()
        if app is None:
            return None
        for i in range(app.childCount):
            win = app.getChildAtIndex(i)
            if win is not None and win.name == name and self.showing(win):
                return win
        return None

    def find(self, root, role, name=None, match=None, visible=True):
        """The first descendant of root with that role and name (or match(name))."""
        def test(acc):
            if acc is None or acc.getRoleName() != role:
                return False
            if name is not None and acc.name != name:
                return False
            if match is not None and not match(acc.name):
                return False
            return not visible or self.on_screen(acc)

        return self.pyatspi.findDescendant(root, test)

    def find_all(self, root, role, visible=True):
        return self.pyatspi.findAllDescendants(
            root, lambda acc: acc is not None and acc.getRoleName() == role
            and (not visible or self.on_screen(acc)))

    def popup_item(self, name, role="menu item"):
        """A menu item called name in a menu that is open on screen."""
        app = self.app()
        if app is None:
            return None
        return self.find(app, role, name)

    def center(self, acc):
        box = acc.queryComponent().getExtents(self.pyatspi.DESKTOP_COORDS)
        # Not mapped: G_MININT for x and y.
        if box.width <= 1 or box.height <= 1 or box.x < -100000 or box.y < -100000:
            return None
        return box.x + box.width // 2, box.y + box.height // 2

    def xdotool(self, *args):
        subprocess.run(["xdotool", *args], env=self.session.env, check=True,
                       capture_output=True)

    def point(self, acc):
        where = wait_for(f"'{acc.name}' to have a place on screen", lambda: self.center(acc))
        self.xdotool("mousemove", "--sync", str(where[0]), str(where[1]))
        return where

    def click(self, acc, button=1):
        self.point(acc)
        self.xdotool("click", str(button))

    def place(self, pattern, x, y, width=None, height=None):
        """Moves (and sizes) the window whose title matches pattern. Only for the
        screenshots: with no window manager every window opens at 0,0, on top
        of the buddy list."""
        args = ["search", "--onlyvisible", "--name", pattern, "windowmove", "--sync",
                str(x), str(y)]
        if width:
            args += ["windowsize", "--sync", str(width), str(height)]
        self.xdotool(*args)

    def text(self, acc):
        text = acc.queryText()
        return text.getText(0, text.characterCount)

    def wait_window(self, name, timeout=WAIT):
        return wait_for(f"the window '{name}'", lambda: self.window(name), timeout)

    def popups(self):
        """How many top-level windows are mapped: each open menu is one. GTK 2
        keeps a closed menu's items with their last place on screen, so the
        items alone cannot tell whether their menu is open yet."""
        return len(subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--maxdepth", "1", "--name", ""],
            env=self.session.env, capture_output=True, text=True).stdout.split())

    def wait_popups(self, count, what):
        wait_for(what, lambda: self.popups() >= count)

    def menu_path(self, first, *rest, hover_last=False):
        """Opens a menu by clicking first (an accessible), then points at each
        submenu in rest and clicks the last item (or only points at it). Each
        item is looked for inside the menu before it, and pointed at only once
        its menu is on screen."""
        mapped = self.popups()
        self.click(first)
        self.wait_popups(mapped + 1, f"the menu '{first.name}' to open")
        parent = first
        for index, name in enumerate(rest):
            last = index == len(rest) - 1
            role = "menu item" if last else "menu"
            item = wait_for(f"the menu item '{name}'",
                            lambda n=name, r=role, p=parent: self.find(p, r, n))
            if last and not hover_last:
                self.click(item)
            else:
                self.point(item)
                if not last:
                    self.wait_popups(mapped + index + 2, f"the submenu '{name}' to open")
            parent = item
        return item


# ---- what a person does in Pidgin, step by step ---------------------------------

def wait_signed_on(session):
    """Waits until Pidgin's account is signed on (libpurple turns on its
    keepalive then) with Ajar loaded from the profile's plugins/ajar.so."""
    wait_for("Pidgin to load Ajar", lambda: "ajar: Ajar " in session.pidgin_log())
    wait_for("the account to sign on",
             lambda: "connection: Activating keepalive" in session.pidgin_log())


def open_ajar_menu(ui, blist, alias="Sam"):
    """Right-clicks the buddy, points at Ajar; returns the submenu's item names."""
    buddy = wait_for(f"{alias} in the buddy list",
                     lambda: ui.find(blist, "table cell", match=lambda n: n.startswith(alias)))
    mapped = ui.popups()
    ui.click(buddy, button=3)
    ui.wait_popups(mapped + 1, f"{alias}'s menu to open")
    ajar = wait_for(f"'Ajar' in {alias}'s menu", lambda: ui.popup_item("Ajar", role="menu"))
    ui.point(ajar)
    ui.wait_popups(mapped + 2, "Ajar's submenu to open")
    wait_for("Ajar's submenu", lambda: ui.find(ajar, "menu item", "Turn off"))
    return [item.name for item in ui.find_all(ajar, "menu item")]


def open_review(ui, blist):
    """Tools ▸ Ajar ▸ Review held messages…; returns the dialog and the lines
    of its first step."""
    ui.menu_path(ui.find(blist, "menu", "Tools"), "Ajar", "Review held messages…")
    review = ui.wait_window("Ajar — review")
    ui.place("^Ajar .* review$", 410, 0, 560, 300)
    people = wait_for("the review's list of people",
                      lambda: [c.name for c in ui.find_all(review, "table cell") if c.name])
    return review, people


def review_text(ui, review, title):
    """The text under the dialog's primary text (the label starting with
    title): libpurple's secondary text, where the review puts the messages."""
    primary = ui.find(review, "label", match=lambda n: n.startswith(title))
    parent = primary.parent
    for i in range(primary.getIndexInParent() + 1, parent.childCount):
        child = parent.getChildAtIndex(i)
        if child is not None and child.getRoleName() == "label":
            return ui.text(child)
    raise Failure(f"no text under '{primary.name}'")


def review_boxes(ui, review):
    """The step's check boxes, one per message, in their numbered order:
    [(label, accessible)]. (AT-SPI lists GTK's table children last first.)"""
    def number(name):
        head = name.split(".", 1)[0]
        return int(head) if head.isdigit() else 0

    boxes = [(box.name, box) for box in ui.find_all(review, "check box") if box.name]
    return sorted(boxes, key=lambda pair: number(pair[0]))


def review_options(ui, review):
    """The step's options (the unlabelled list: table cells), in their order."""
    return [cell.name for cell in ui.find_all(review, "table cell", visible=False)
            if cell.name]


def wait_step_two(ui, rule="Sam"):
    """The review's second step for rule, once it is on screen."""
    title = f"Kept messages: {rule}"
    return wait_for(
        f"the review of {rule}'s messages",
        lambda: (lambda w: w if w and ui.find(w, "label", match=lambda n: n.startswith(title))
                 else None)(ui.window("Ajar — review")))


def read_review(ui, review, rule="Sam"):
    """Clicks Read; returns the second step's dialog, its text (the messages,
    numbered) and the labels of its check boxes (one per message)."""
    ui.click(ui.find(review, "push button", "Read"))
    review = wait_step_two(ui, rule)
    ui.place("^Ajar .* review$", 410, 0)
    wait_for("the review's check boxes", lambda: review_boxes(ui, review))
    content = review_text(ui, review, f"Kept messages: {rule}")
    chosen = [name for name, _ in review_boxes(ui, review)]
    return review, content, chosen


def tick(ui, review, text):
    """Ticks the check box of the message whose label ends with text (its
    preview, after the time and state); returns the box's label."""
    found = [(name, box) for name, box in review_boxes(ui, review)
             if name.endswith(f" — {text}")]
    if len(found) != 1:
        raise Failure(f"{len(found)} check boxes for {text!r}: "
                      f"{[name for name, _ in review_boxes(ui, review)]}")
    name, box = found[0]
    checked = ui.pyatspi.STATE_CHECKED
    if not box.getState().contains(checked):
        ui.click(box)
    wait_for(f"'{name}' to be ticked", lambda: box.getState().contains(checked))
    return name


def _rows_view(cell):
    """The scrolled area a list's row shows in (its table's scroll pane)."""
    table = cell.parent
    return table.parent if table.parent.getRoleName() == "scroll pane" else table


def _extents(ui, acc):
    return acc.queryComponent().getExtents(ui.pyatspi.DESKTOP_COORDS)


def wholly_in_view(ui, cell):
    """Whether a list's row shows from top to bottom in its scrolled list."""
    if not ui.showing(cell):
        return False
    box, outer = _extents(ui, cell), _extents(ui, _rows_view(cell))
    return outer.y <= box.y and box.y + box.height <= outer.y + outer.height


def _above_view(ui, review, cell):
    """Whether a row not wholly in view is above the list's visible part (so
    the wheel scrolls up to it) rather than below."""
    outer = _extents(ui, _rows_view(cell))
    if ui.center(cell) is not None:  # partly in view, or just out of it
        return _extents(ui, cell).y < outer.y
    # No place: it is above if a later row is wholly in view.
    cells = [c for c in ui.find_all(review, "table cell", visible=False) if c.name]
    mine = [c.name for c in cells].index(cell.name)
    return any(wholly_in_view(ui, c) for c in cells[mine + 1:])


def choose(ui, review, option):
    """Selects option in the step's list of options with a click on its row.
    Pidgin shows a list field about three rows high: a row not wholly in view
    is scrolled into it first, with the mouse wheel over the list, as a person
    would."""
    cell = ui.find(review, "table cell", option, visible=False)
    if cell is None:
        raise Failure(f"no option {option!r} in {review_options(ui, review)}")
    if not wholly_in_view(ui, cell):
        ui.point(_rows_view(cell))
        for _ in range(20):
            if wholly_in_view(ui, cell):
                break
            ui.xdotool("click", "4" if _above_view(ui, review, cell) else "5")
            time.sleep(POLL)
        wait_for(f"'{option}' to come into view", lambda: wholly_in_view(ui, cell))
    selected = ui.pyatspi.STATE_SELECTED
    ui.click(cell)
    wait_for(f"'{option}' to be selected", lambda: cell.getState().contains(selected))
    return cell


def press(ui, window, button):
    """Clicks the push button called button in window."""
    found = ui.find(window, "push button", button)
    if found is None:
        names = [b.name for b in ui.find_all(window, "push button")]
        raise Failure(f"no button {button!r} in '{window.name}': {names}")
    ui.click(found)


def wait_closed(ui, name, timeout=WAIT):
    """Waits until no window called name is on screen."""
    wait_for(f"the window '{name}' to close", lambda: ui.window(name) is None, timeout)


STOPPED = "Pidgin, Xvfb, D-Bus and prosody stopped; no process left"


def run_test(servers, first_step, setup, extra_args=(), stopped=STOPPED):
    """What every tests/pidgin script's main() does: read --plugin, --log-dir
    (and @extra_args, each required), check the programs, start @servers,
    call setup(args, session, config, env) — which writes the profile and
    returns go(tap), the scenario — then report any failure with a
    screenshot and pidgin.log's tail, stop everything, and check that
    nothing is left. Prints the TAP plan; returns the exit status."""
    import argparse
    from ajar_tap import Tap

    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", default=os.environ.get("AJAR_PLUGIN"), required=False)
    for name in extra_args:
        parser.add_argument(name, required=True)
    parser.add_argument("--log-dir", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    tap = Tap()

    missing = tools_missing()
    if missing or not args.plugin:
        tap.not_ok("the programs the test runs are installed",
                   f"missing: {missing or 'the plugin (--plugin)'}; "
                   "scripts/test installs them (AJAR_PIDGIN_PACKAGES in scripts/lib.sh)")
        print(f"1..{tap.count}")
        return 1

    shutil.rmtree(args.log_dir, ignore_errors=True)
    os.makedirs(os.path.join(args.log_dir, "home"))
    config = os.path.join(args.log_dir, "config")
    session = Session(args.log_dir)
    tap.step = first_step
    try:
        env = servers.start()
        go = setup(args, session, config, env)
        tap.ok(tap.step)
        go(tap)
    except Exception as why:  # any failure is reported, then everything is stopped
        tap.not_ok(tap.step, f"{type(why).__name__}: {why}")
        if session.display:
            try:
                screenshot(session, os.path.join(args.log_dir, "failure.png"))
                print(f"# the screen then: {os.path.join(args.log_dir, 'failure.png')}")
            except Exception:  # the display itself may be what failed
                pass
        tail = session.pidgin_log().splitlines()[-15:]
        print("# last lines of pidgin.log:", *[f"#   {line}" for line in tail], sep="\n")
    finally:
        killed = session.stop()
        left = servers.stop(session)
    if killed or left:
        tap.not_ok("everything stopped, nothing left running",
                   f"killed: {killed}; left: {left}")
    else:
        tap.ok(stopped)
    print(f"# screenshots and logs: {args.log_dir}")
    print(f"# took {time.monotonic() - started:.1f}s")
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0
