/* e2e-scenarios.h — the end-to-end scenarios that do not depend on the
 * protocol (hold then release, cooling-off), run over XMPP by test-xmpp.c
 * and over IRC by test-irc.c, and the parties they run between: "you" (this
 * process, with the built ajar.so), Sam (the contact a rule is for) and a
 * friend (no rule), each with the names their protocol gives them. */
#ifndef AJAR_E2E_SCENARIOS_H
#define AJAR_E2E_SCENARIOS_H

#include "e2e-test.h"

G_BEGIN_DECLS

typedef struct {
    const char *protocol; /* "prpl-jabber", "prpl-irc" */
    PurpleAccount *me;    /* you, with Ajar */
    char *me_name;        /* the name the others write to: me@example.org, me */
    char *me_as_seen;     /* the sender of your messages as a peer sees it */
    char *rule_account;   /* (nullable) the account a rule for Sam names */
    E2ePeer *sam;         /* Sam, without Ajar */
    char *sam_name;       /* the name you write to */
    char *sam_as_kept;    /* the sender of Sam's messages as Ajar journals it */
    E2ePeer *friend;      /* a friend, without Ajar and without a rule */
    char *friend_name;    /* the name you write to */
} E2eParties;

/* Signs you on as me@<domain>/Home and starts Sam (sam@<domain>/phone) and
 * the friend (friend@<domain>/laptop) on the local prosody. A rule for Sam
 * names no account; set @parties->rule_account for one that does. */
void e2e_parties_start_xmpp(E2eParties *parties);

/* Signs you on as "me" and starts "sam" and "friend" on the local ngircd. */
void e2e_parties_start_irc(E2eParties *parties);

/* Stops Sam and the friend and frees the names. */
void e2e_parties_stop(E2eParties *parties);

/* Reloads Ajar with the rules file @json and forgets what was seen. */
void e2e_use_rules(const char *json);

/* Reloads Ajar with one rule "Sam" for Sam's name on @parties' protocol
 * (and rule_account, if set) with @body (its "incoming"/"outgoing"/...
 * keys) and, unless NULL, the setting "notify": @notify. */
void e2e_use_sam_rule(const E2eParties *parties, const char *body, const char *notify);

/* A custody event is Sam's incoming message @text as it came over the
 * protocol, kept by the rule "Sam". */
void e2e_assert_from_sam(const E2eParties *parties, const AjarEvent *event, const char *text);

/* Sam's messages are held, nothing of them shown or logged, while the
 * friend's are shown as usual; the user releases them from the
 * conversation, and they are shown and logged with the time they came. */
void e2e_scenario_hold_then_release(const E2eParties *parties);

/* Cooling-off on your own messages under the rule "outgoing": @outgoing
 * (a delay of 5 seconds that does not ask): A waits and goes at its due
 * time, B is cancelled and never arrives, C is sent at once with /ajar send
 * ID, and D, sent at once after B's due time passed, proves on Sam's side
 * (the server keeps one sender's messages in order) that B was not sent.
 * The friend has no rule: messages to them go at once. */
void e2e_scenario_cooling_off(const E2eParties *parties, const char *outgoing);

G_END_DECLS

#endif /* AJAR_E2E_SCENARIOS_H */
