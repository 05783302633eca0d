#!/usr/bin/env python3
"""xmpp_send.py — send chat messages as a real XMPP client (Python 3 stdlib only).

    scripts/xmpp_send.py --port PORT --user sam@example.org --to you@example.org \
        [--host 127.0.0.1] [--password secret] [--resource phone] [--attention] TEXT...

Connects to the server, authenticates with SASL PLAIN *without TLS* (only for
the throwaway loopback servers of scripts/servers, which allow exactly that),
binds a resource, sends each TEXT as a <message type='chat'> to --to, waits
until the server has answered a ping sent after them (so the messages were
routed or stored before we leave), then closes the stream. Exit 0 when every
step was answered as expected; 1 with a one-line reason otherwise.

It plays "the contact" (Sam) for the Pidgin test and scripts/demo: a plain
socket and the standard XML parser, so it needs nothing installed and has no
behaviour of its own that could hide what Pidgin and Ajar do.
"""

import argparse
import base64
import socket
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS_STREAM = "http://etherx.jabber.org/streams"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"


class XmppError(Exception):
    pass


class Stream:
    """One XMPP client stream; top-level stanzas come back as ElementTree elements."""

    def __init__(self, host, port, domain, timeout):
        self.domain = domain
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.parser = None
        self.depth = 0
        self.ready = []

    def send(self, text):
        self.sock.sendall(text.encode("utf-8"))

    def open(self):
        """(Re)starts the stream and returns its <stream:features/>."""
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.depth = 0
        self.ready = []
        self.send(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            f"xmlns:stream='{NS_STREAM}' to={quoteattr(self.domain)} version='1.0'>"
        )
        features = self.next()
        if features.tag != f"{{{NS_STREAM}}}features":
            raise XmppError(f"expected stream features, got {features.tag}")
        return features

    def next(self):
        """The next complete top-level stanza."""
        while not self.ready:
            data = self.sock.recv(65536)
            if not data:
                raise XmppError("the server closed the connection")
            self.parser.feed(data)
            for event, elem in self.parser.read_events():
                if event == "start":
                    self.depth += 1
                else:
                    self.depth -= 1
                    if self.depth == 1:
                        self.ready.append(elem)
                    elif self.depth == 0:
                        raise XmppError("the server ended the stream")
        return self.ready.pop(0)

    def wait_iq(self, iq_id):
        while True:
            stanza = self.next()
            if stanza.tag == "{jabber:client}iq" and stanza.get("id") == iq_id:
                if stanza.get("type") != "result":
                    raise XmppError(f"iq {iq_id} failed: {ET.tostring(stanza, 'unicode')}")
                return stanza

    def close(self):
        try:
            self.send("</stream:stream>")
            self.sock.shutdown(socket.SHUT_WR)
            while self.sock.recv(65536):
                pass
        except OSError:
            pass
        self.sock.close()


def send_messages(host, port, user, password, to, texts, resource="sender", timeout=20,
                  attention=False):
    """Sends texts from user (local@domain) to the JID `to`; raises XmppError or OSError.
    With attention, a buzz instead (XEP-0224 <attention/>, as libpurple sends one)."""
    local, _, domain = user.partition("@")
    if not local or not domain:
        raise XmppError(f"--user must be local@domain, not {user!r}")
    stream = Stream(host, port, domain, timeout)
    try:
        features = stream.open()
        mechanisms = [m.text for m in features.iter(f"{{{NS_SASL}}}mechanism")]
        if "PLAIN" not in mechanisms:
            raise XmppError(f"the server does not offer PLAIN (offers {mechanisms})")
        token = base64.b64encode(f"\0{local}\0{password}".encode()).decode()
        stream.send(f"<auth xmlns='{NS_SASL}' mechanism='PLAIN'>{token}</auth>")
        answer = stream.next()
        if answer.tag != f"{{{NS_SASL}}}success":
            raise XmppError(f"authentication as {user} failed")
        stream.open()
        stream.send(
            f"<iq type='set' id='bind'><bind xmlns='{NS_BIND}'>"
            f"<resource>{escape(resource)}</resource></bind></iq>"
        )
        stream.wait_iq("bind")
        if attention:
            stream.send(
                f"<message type='headline' to={quoteattr(to)} id='buzz'>"
                "<attention xmlns='urn:xmpp:attention:0'/></message>"
            )
        for number, text in enumerate(texts, 1):
            stream.send(
                f"<message type='chat' to={quoteattr(to)} id='msg{number}'>"
                f"<body>{escape(text)}</body></message>"
            )
        # The server handles a client's stanzas in order: once it answers this
        # ping, every message above has been delivered or stored offline.
        stream.send(f"<iq type='get' id='ping' to={quoteattr(domain)}><ping xmlns='urn:xmpp:ping'/></iq>")
        stream.wait_iq("ping")
    finally:
        stream.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Send XMPP chat messages (plain auth, no TLS).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True, help="local@domain")
    parser.add_argument("--password", default="secret")
    parser.add_argument("--resource", default="sender")
    parser.add_argument("--to", required=True, help="the recipient's JID")
    parser.add_argument("--attention", action="store_true", help="send a buzz first")
    parser.add_argument("texts", nargs="*", metavar="TEXT")
    args = parser.parse_args(argv)
    try:
        send_messages(args.host, args.port, args.user, args.password, args.to, args.texts,
                      resource=args.resource, attention=args.attention)
    except (XmppError, OSError, ET.ParseError) as error:
        print(f"xmpp_send: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
