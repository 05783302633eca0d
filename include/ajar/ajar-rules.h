/* ajar-rules.h — the rules.json model (version 1), its validation, and the
 * decision for one message. Pure: no I/O beyond the buffer given, no clock
 * (the time is always an argument), no messenger library. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AJAR_RULES_ERROR (ajar_rules_error_quark())
GQuark ajar_rules_error_quark(void);

/* Every error message is one line: "ORIGIN:LINE:COLUMN: key.path: reason"
 * (the key path is left out for syntax errors, which have none). */
typedef enum {
    AJAR_RULES_ERROR_SYNTAX,      /* not JSON, or nested too deep, or too large */
    AJAR_RULES_ERROR_UNKNOWN_KEY, /* a key rules.json version 1 does not have */
    AJAR_RULES_ERROR_TYPE,        /* a value of the wrong JSON type */
    AJAR_RULES_ERROR_MISSING,     /* a required key is absent */
    AJAR_RULES_ERROR_VALUE,       /* right type, impossible value */
    AJAR_RULES_ERROR_DUPLICATE,   /* two rules with one name, or a key twice */
    AJAR_RULES_ERROR_VERSION,     /* "version" is not 1 */
} AjarRulesError;

/* Largest rules file accepted (bytes). */
#define AJAR_RULES_MAX_FILE_SIZE (16 * 1024 * 1024)
/* Most rules in a file: far more people than anyone keeps at a distance,
 * and the scale bench/ measures decisions at (bench/README.md, figure 4). */
#define AJAR_RULES_MAX_RULES 10000
/* Most JSON values (objects, lists, strings, numbers...) in a file: 10,000
 * rules of a buddy with account and protocol and two keywords have 120,000.
 * Reading stops at the value over it, so no file, whatever it holds, costs
 * more than reading this many. */
#define AJAR_RULES_MAX_VALUES 150000
#define AJAR_RULES_MAX_SECONDS 31536000 /* one year */

typedef enum {
    AJAR_DIRECTION_IN,  /* from them to you */
    AJAR_DIRECTION_OUT, /* from you to them */
} AjarDirection;

typedef enum {
    AJAR_ACTION_PASS,
    AJAR_ACTION_HOLD,    /* in: kept for review; out: kept as an unsent letter */
    AJAR_ACTION_ARCHIVE, /* in only: stored unread, never announced */
    AJAR_ACTION_DELAY,   /* in: delivered at due time; out: cooling-off */
    AJAR_ACTION_ASK,     /* out only: kept, and the user is asked at once */
} AjarAction;

typedef enum {
    AJAR_NOTIFY_SILENT,
    AJAR_NOTIFY_COUNT, /* the default */
    AJAR_NOTIFY_MESSAGE,
} AjarNotify;

/* How a delay's due time is given. */
typedef enum {
    AJAR_DELAY_NONE,
    AJAR_DELAY_SECONDS, /* "seconds": N after arrival */
    AJAR_DELAY_AT,      /* "at": "HH:MM", the next local time of day */
} AjarDelayKind;

/* What one direction of a rule does. */
typedef struct {
    AjarAction action;
    AjarDelayKind delay_kind;
    gint64 seconds;         /* AJAR_DELAY_SECONDS: 1 .. AJAR_RULES_MAX_SECONDS */
    int at_minute;          /* AJAR_DELAY_AT: minutes after local midnight, 0 .. 1439 */
    gboolean confirm;       /* outgoing delay: ask at the due time (default answer: don't send) */
    char *question;         /* outgoing ask: the rule's question; NULL = the default question */
    gboolean has_quiet;     /* outgoing "quiet_hours" given */
    int quiet_from_minute;  /* minutes after local midnight, 0 .. 1439 */
    int quiet_until_minute; /* likewise, never equal to quiet_from_minute */
} AjarDirectionRule;

/* One "match" entry: exactly one of buddy, stranger and chat_nick is set.
 * account and protocol NULL mean "any". Strings as written. */
typedef struct {
    char *account;
    char *protocol;
    char *buddy;       /* an IM sender, or a chat occupant's real address */
    gboolean stranger; /* any sender of an IM the plugin flags as a stranger */
    char *chat_nick;   /* a chat occupant's nick (case-folded compare) */
    char *chat;        /* with chat_nick only: the room's name; NULL = any room */
} AjarMatch;

/* One rule, as written in the file (not normalized). */
typedef struct {
    char *name;
    GPtrArray *matches; /* AjarMatch*, at least one */
    AjarDirectionRule incoming;
    AjarDirectionRule outgoing;
    AjarDirectionRule chats;  /* action PASS (the default), HOLD or ARCHIVE only */
    GPtrArray *pass_keywords; /* char*, as written; may be empty */
    gboolean has_active_from;
    gint64 active_from; /* unix microseconds, inclusive */
    char *active_from_text;
    gboolean has_active_until;
    gint64 active_until; /* unix microseconds, exclusive */
    char *active_until_text;
} AjarRule;

typedef struct _AjarRuleSet AjarRuleSet;

/* Turns a protocol's buddy or account name into the form two names are
 * compared in (the messenger's own normalizer: case, XMPP resource, ...).
 * @protocol is NULL for a match entry that names no protocol.
 * Returns: (transfer full): a newly allocated string. Must not fail. */
typedef char *(*AjarNormalizeFunc)(const char *protocol, const char *name, gpointer user_data);

/* The normalizer used when none is given: Unicode NFKC, case-folded, and
 * everything from the first '/' cut off (an XMPP resource). Transfer full. */
char *ajar_rules_normalize_default(const char *protocol, const char *name, gpointer user_data);

/* Parses and validates rules.json text.
 * @origin: what errors name as the file, e.g. "rules.json".
 * @normalize (nullable): see AjarNormalizeFunc; NULL for the default. It is
 * kept by the set and called again by ajar_rules_decide(), so @normalize_data
 * must outlive the set.
 * Returns: (transfer full) (nullable): an immutable rule set, or NULL with
 * @error set in AJAR_RULES_ERROR (one line, "origin:line:column: path: reason"). */
AjarRuleSet *ajar_rules_parse(const char *json, gssize len, const char *origin,
                              AjarNormalizeFunc normalize, gpointer normalize_data, GError **error);

/* An empty rule set (what a missing rules.json means). Transfer full. */
AjarRuleSet *ajar_rules_new_empty(AjarNormalizeFunc normalize, gpointer normalize_data);

AjarRuleSet *ajar_rules_ref(AjarRuleSet *rules);
void ajar_rules_unref(AjarRuleSet *rules);

/* Serializes to rules.json text: 2-space indent, a fixed key order, a final
 * newline, so that parse(serialize(x)) serializes to the same bytes.
 * Returns: (transfer full). */
char *ajar_rules_serialize(const AjarRuleSet *rules);

guint ajar_rules_get_count(const AjarRuleSet *rules);
/* Returns: (transfer none): rule @index, valid while @rules lives. */
const AjarRule *ajar_rules_get_rule(const AjarRuleSet *rules, guint index);
AjarNotify ajar_rules_get_notify(const AjarRuleSet *rules);

/* settings.allowed: addresses never screened as strangers, as written. */
guint ajar_rules_get_allowed_count(const AjarRuleSet *rules);
/* Returns: (transfer none): address @index, valid while @rules lives. */
const char *ajar_rules_get_allowed(const AjarRuleSet *rules, guint index);
/* TRUE if @address is in settings.allowed, compared in the form the set's
 * normalizer gives for no protocol (case, XMPP resource). @protocol is
 * accepted for the callers' symmetry and does not narrow the match. */
gboolean ajar_rules_is_allowed(const AjarRuleSet *rules, const char *protocol, const char *address);

/* Message flags the decision cares about. */
typedef enum {
    AJAR_MESSAGE_AUTO_RESPONSE = 1 << 0, /* an away message: never withheld */
    AJAR_MESSAGE_REMOTE_SEND = 1 << 1,   /* the user's own other device: never withheld */
} AjarMessageFlags;

/* The plain facts of one message. Strings are borrowed. */
typedef struct {
    AjarDirection direction;
    const char *account;  /* the local account's name, e.g. "me@example.org/Home" */
    const char *protocol; /* protocol id, e.g. "prpl-jabber" */
    const char *buddy;    /* the other side's name as the protocol gave it */
    const char *text;     /* plain text (markup already stripped); may be NULL */
    AjarMessageFlags flags;
    /* IM, direction IN only: the plugin found the sender in no buddy list,
     * not the account itself, not an auto-response, not a system name. */
    gboolean stranger;
    const char *chat; /* a chat line: the room's name; NULL for an IM */
    const char *nick; /* a chat line: the occupant's nick (buddy = real address or NULL) */
} AjarFacts;

/* Why the decision is what it is. */
typedef enum {
    AJAR_REASON_NO_RULE,       /* no rule matches: pass */
    AJAR_REASON_RULE,          /* the rule's action for this direction */
    AJAR_REASON_INACTIVE,      /* a rule matches but now is outside "active": pass */
    AJAR_REASON_KEYWORD,       /* a pass keyword was in the text: pass */
    AJAR_REASON_AUTO_RESPONSE, /* auto-responses are never withheld: pass */
    AJAR_REASON_REMOTE_SEND,   /* sent by the user's other device: pass */
    AJAR_REASON_ALLOWED,       /* a stranger in settings.allowed: pass */
} AjarReason;

typedef struct {
    AjarAction action;
    AjarReason reason;
    gint64 due;            /* unix microseconds for AJAR_ACTION_DELAY, else 0 */
    gboolean confirm;      /* outgoing delay: ask before sending */
    int rule_index;        /* -1 when no rule matched */
    const char *rule_name; /* (transfer none) NULL when no rule matched */
    const char *keyword;   /* (transfer none) the pass keyword that matched */
    gboolean stranger;     /* the rule matched by a "stranger" entry */
    gboolean quiet;        /* out: written inside quiet hours: action DELAY, confirm TRUE,
                            * due = the window's end */
    const char *question;  /* (transfer none) out ASK: the rule's question, or NULL
                            * for the plugin's default */
} AjarDecision;

/* Decides what happens to one message at @now (whose time zone is the one an
 * "at" delay and quiet hours are read in). The first rule (in file order)
 * with a matching entry wins; lookups are hash-based, O(1) in the number of
 * rules for names. A chat line (@facts->chat set) is matched by its buddy
 * entries (real address), then by "chat_nick" entries, and takes the rule's
 * "chats" action. An incoming IM matched by no buddy entry from a stranger
 * passes if the sender is in settings.allowed (AJAR_REASON_ALLOWED), else
 * takes the first rule with a fitting "stranger" entry. An outgoing message
 * written inside the rule's quiet hours is delayed to the window's end with
 * confirm, whatever the outgoing action. Strings in @decision are owned by
 * @rules. */
void ajar_rules_decide(const AjarRuleSet *rules, const AjarFacts *facts, GDateTime *now,
                       AjarDecision *decision);

/* The next local time of day @at_minute (minutes after midnight) strictly
 * after @now, in @now's time zone. A wall time skipped by a DST change is
 * taken as the first instant after the gap; a wall time that happens twice is
 * its first occurrence. Returns unix microseconds. */
gint64 ajar_rules_next_time_of_day(GDateTime *now, int at_minute);

/* TRUE when @now's local wall time is inside [from, until) of
 * @outgoing's quiet hours (the window may wrap midnight); FALSE without
 * quiet hours. */
gboolean ajar_rules_in_quiet_hours(const AjarDirectionRule *outgoing, GDateTime *now);

const char *ajar_action_to_string(AjarAction action);
const char *ajar_direction_to_string(AjarDirection direction);
const char *ajar_notify_to_string(AjarNotify notify);

/* ---- changing rules (menus and commands): every change makes a new set ---- */

/* Returns: (transfer full): a rule named @name with no matches, incoming and
 * outgoing "pass", no keywords, always active. */
AjarRule *ajar_rule_new(const char *name);
/* Returns: (transfer full): a deep copy. */
AjarRule *ajar_rule_copy(const AjarRule *rule);
void ajar_rule_free(AjarRule *rule);
/* Adds a match entry (@account and @protocol nullable = any). */
void ajar_rule_add_match(AjarRule *rule, const char *account, const char *protocol,
                         const char *buddy);
/* Adds a {"chat_nick": @nick} entry (@chat nullable = any room). */
void ajar_rule_add_chat_nick(AjarRule *rule, const char *account, const char *protocol,
                             const char *nick, const char *chat);
/* Adds a {"stranger": true} entry. */
void ajar_rule_add_stranger(AjarRule *rule, const char *account, const char *protocol);

/* The index of the first rule with a match entry for this buddy (the same
 * matching as ajar_rules_decide()), or -1. */
int ajar_rules_find(const AjarRuleSet *rules, const char *account, const char *protocol,
                    const char *buddy);

/* What every message asks first, at the least cost: the index of the first
 * rule with a buddy entry for @buddy (nullable) on @account and @protocol,
 * as ajar_rules_find() gives it, or -1; and, when @strangers is not NULL,
 * whether a rule has a "stranger" entry fitting @account and @protocol (if
 * not, whether the sender is a stranger changes no decision but
 * AJAR_REASON_ALLOWED, and need not be found out). Answers are remembered
 * per account and sender: an account no entry can match costs a compare
 * of its name, a sender asked about before one hash of their name and a
 * compare, and neither calls the normalizer. */
int ajar_rules_lookup(const AjarRuleSet *rules, const char *account, const char *protocol,
                      const char *buddy, gboolean *strangers);

/* A new set like @rules with rule @index replaced by @rule (@index ==
 * count appends; @rule NULL removes rule @index). The result is validated
 * exactly as a file would be, with @origin naming it in errors.
 * Returns: (transfer full) (nullable). */
AjarRuleSet *ajar_rules_with_rule(const AjarRuleSet *rules, guint index, const AjarRule *rule,
                                  const char *origin, GError **error);

/* A new set like @rules with another notify mode.
 * Returns: (transfer full) (nullable). */
AjarRuleSet *ajar_rules_with_notify(const AjarRuleSet *rules, AjarNotify notify, GError **error);

/* A new set like @rules with @address appended to settings.allowed (the
 * same set again, with a new reference, if it is already allowed).
 * Returns: (transfer full) (nullable): NULL with @error for an address
 * rules.json cannot hold (empty, control characters, too long). */
AjarRuleSet *ajar_rules_with_allowed(const AjarRuleSet *rules, const char *address, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarRuleSet, ajar_rules_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarRule, ajar_rule_free)

G_END_DECLS
