/* test-state.c — what the journal means: a message's state is its last event,
 * and the counters statistics show. */
#include "ajar/ajar-state.h"
#include "store-test-util.h"

#define ID "01JDX0ABCDEFGHJKMNPQRSTVWX"
#define MAX_STEPS 5

static gint64 next_seq = 1;

static void
apply(AjarState *state, AjarEvent *event)
{
    event->seq = next_seq++;
    ajar_state_apply(state, event);
    ajar_event_free(event);
}

static void
apply_step(AjarState *state, AjarEventType type, AjarDirection dir, const char *id, gint64 ts)
{
    if (ajar_event_type_is_custody(type))
        apply(state, test_custody_event(type, id, dir, "hello?", ts));
    else
        apply(state, test_outcome_event(type, id, ts));
}

/* Every path a message can take, and what the user then sees. */
static void
test_transitions(void)
{
    static const struct {
        const char *name;
        AjarDirection dir;
        AjarEventType steps[MAX_STEPS]; /* ends at the first AJAR_EVENT_UNKNOWN */
        AjarEventType state;
        gboolean in_custody;
        AjarRuleCounters counters; /* last_sent is checked apart */
    } cases[] = {
        { "held", AJAR_DIRECTION_IN, { AJAR_EVENT_HELD }, AJAR_EVENT_HELD, TRUE, { .held = 1 } },
        { "held, released",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_RELEASED },
          AJAR_EVENT_RELEASED,
          FALSE,
          { .held = 1 } },
        { "held, discarded",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE,
          { .held = 1, .discarded = 1 } },
        { "archived, read",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_ARCHIVED, AJAR_EVENT_READ },
          AJAR_EVENT_READ,
          TRUE,
          { .archived = 1 } },
        { "archived, read, discarded",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_ARCHIVED, AJAR_EVENT_READ, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE,
          { .archived = 1, .discarded = 1 } },
        { "archived, released",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_ARCHIVED, AJAR_EVENT_RELEASED },
          AJAR_EVENT_RELEASED,
          FALSE,
          { .archived = 1 } },
        { "delayed",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_DELAYED },
          AJAR_EVENT_DELAYED,
          TRUE,
          { .delayed = 1 } },
        { "delayed, delivered",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_DELAYED, AJAR_EVENT_DELIVERED },
          AJAR_EVENT_DELIVERED,
          FALSE,
          { .delayed = 1 } },
        { "queued",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED },
          AJAR_EVENT_QUEUED,
          TRUE,
          { .queued = 1 } },
        { "queued, sent",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_SENT },
          AJAR_EVENT_SENT,
          FALSE,
          { .queued = 1, .sent = 1 } },
        { "queued, cancelled (kept as a letter)",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED },
          AJAR_EVENT_CANCELLED,
          TRUE,
          { .queued = 1, .cancelled = 1 } },
        { "queued, cancelled, sent after all",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED, AJAR_EVENT_SENT },
          AJAR_EVENT_SENT,
          FALSE,
          { .queued = 1, .cancelled = 1, .sent = 1 } },
        { "queued, cancelled, discarded",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE,
          { .queued = 1, .cancelled = 1, .discarded = 1 } },
        { "unsent letter",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_HELD },
          AJAR_EVENT_HELD,
          TRUE,
          { .letters = 1 } },
        { "unsent letter, sent",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_HELD, AJAR_EVENT_SENT },
          AJAR_EVENT_SENT,
          FALSE,
          { .letters = 1, .sent = 1 } },
        { "queued, then kept as a letter",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_HELD },
          AJAR_EVENT_HELD,
          TRUE,
          { .queued = 1, .letters = 1 } },
        /* "restored": a discarded message brought back is kept again, as
         * what it was: theirs held (read when archived), yours a letter. */
        { "held, discarded, restored",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED },
          AJAR_EVENT_HELD,
          TRUE,
          { .held = 1, .discarded = 1 } },
        { "archived, read, discarded, restored",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_ARCHIVED, AJAR_EVENT_READ, AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED },
          AJAR_EVENT_READ,
          TRUE,
          { .archived = 1, .discarded = 1 } },
        { "delayed, discarded, restored (held, not delayed again)",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_DELAYED, AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED },
          AJAR_EVENT_HELD,
          TRUE,
          { .delayed = 1, .discarded = 1 } },
        { "queued, cancelled, discarded, restored",
          AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED, AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED },
          AJAR_EVENT_HELD,
          TRUE,
          { .queued = 1, .cancelled = 1, .discarded = 1 } },
        { "held, discarded, restored, discarded again",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE,
          { .held = 1, .discarded = 1 } },
        { "a repeated line counts once",
          AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_HELD, AJAR_EVENT_DISCARDED, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE,
          { .held = 1, .discarded = 1 } },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(AjarState) state = ajar_state_new();
        g_autoptr(GPtrArray) custody = NULL;
        const AjarRuleCounters *c;
        const AjarItem *item;
        guint steps = 0;

        g_test_message("%s", cases[i].name);
        for (; steps < MAX_STEPS && cases[i].steps[steps] != AJAR_EVENT_UNKNOWN; steps++)
            apply_step(state, cases[i].steps[steps], cases[i].dir, ID,
                       TEST_T0 + steps * G_USEC_PER_SEC);

        item = ajar_state_lookup(state, ID);
        g_assert_nonnull(item);
        g_assert_cmpint(item->state, ==, cases[i].state);
        g_assert_cmpint(ajar_item_in_custody(item), ==, cases[i].in_custody);
        g_assert_cmpint(item->dir, ==, cases[i].dir);
        test_assert_item_text(item, "hello?", 6);
        g_assert_cmpint(item->first_seq, ==, next_seq - steps);
        g_assert_cmpint(item->state_seq, ==, next_seq - 1);
        g_assert_cmpint(item->state_ts, ==, TEST_T0 + (steps - 1) * G_USEC_PER_SEC);
        g_assert_cmpuint(ajar_state_count_in_state(state, cases[i].state), ==, 1);
        g_assert_cmpuint(ajar_state_count_custody(state), ==, cases[i].in_custody ? 1 : 0);
        custody = ajar_state_list_custody(state);
        g_assert_cmpuint(custody->len, ==, cases[i].in_custody ? 1 : 0);
        g_assert_cmpuint(ajar_state_get_orphans(state), ==, 0);
        g_assert_cmpuint(ajar_state_get_event_count(state), ==, steps);

        c = ajar_state_get_counters(state, "Sam");
        g_assert_nonnull(c);
        g_assert_cmpuint(c->held, ==, cases[i].counters.held);
        g_assert_cmpuint(c->archived, ==, cases[i].counters.archived);
        g_assert_cmpuint(c->delayed, ==, cases[i].counters.delayed);
        g_assert_cmpuint(c->queued, ==, cases[i].counters.queued);
        g_assert_cmpuint(c->letters, ==, cases[i].counters.letters);
        g_assert_cmpuint(c->cancelled, ==, cases[i].counters.cancelled);
        g_assert_cmpuint(c->discarded, ==, cases[i].counters.discarded);
        g_assert_cmpuint(c->sent, ==, cases[i].counters.sent);
        g_assert_cmpuint(c->passed, ==, 0);
        g_assert_cmpint(c->last_sent, ==, c->sent > 0 ? TEST_T0 + (steps - 1) * G_USEC_PER_SEC : 0);
    }
}

/* A queued message later kept as a letter is one message, not two, and
 * keeps its text even if the second line does not repeat it. */
static void
test_custody_update(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GPtrArray) all = NULL;
    AjarEvent *held;
    const AjarItem *item;

    apply(state,
          test_custody_event(AJAR_EVENT_QUEUED, ID, AJAR_DIRECTION_OUT, "miss you", TEST_T0));
    held = test_custody_event(AJAR_EVENT_HELD, ID, AJAR_DIRECTION_OUT, "", TEST_T0 + 1);
    g_clear_pointer(&held->text, g_free);
    held->text_len = 0;
    g_clear_pointer(&held->rule, g_free);
    apply(state, held);

    all = ajar_state_list(state);
    g_assert_cmpuint(all->len, ==, 1);
    item = g_ptr_array_index(all, 0);
    test_assert_item_text(item, "miss you", strlen("miss you"));
    g_assert_cmpstr(item->rule, ==, "Sam");
    g_assert_cmpint(item->custody, ==, AJAR_EVENT_HELD);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);
    g_assert_cmpint(item->due, ==, 0); /* a letter has no due time */
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_QUEUED), ==, 0);
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_HELD), ==, 1);

    /* A later custody event with a text replaces the first one (kept with
     * the item), and one for a message that had none gives it one. */
    apply(state,
          test_custody_event(AJAR_EVENT_ARCHIVED, ID, AJAR_DIRECTION_OUT, "changed", TEST_T0 + 2));
    item = ajar_state_lookup(state, ID);
    test_assert_item_text(item, "changed", strlen("changed"));
    held = test_custody_event(AJAR_EVENT_HELD, ID "2", AJAR_DIRECTION_IN, "", TEST_T0 + 3);
    g_clear_pointer(&held->text, g_free);
    held->text_len = 0;
    apply(state, held);
    /* (No text: nowhere on disk, nothing to check.) */
    g_assert_cmpuint(ajar_state_lookup(state, ID "2")->text_line_len, ==, 0);
    g_assert_cmpuint(ajar_state_lookup(state, ID "2")->text_len, ==, 0);
    apply(state,
          test_custody_event(AJAR_EVENT_HELD, ID "2", AJAR_DIRECTION_IN, "at last", TEST_T0 + 4));
    item = ajar_state_lookup(state, ID "2");
    test_assert_item_text(item, "at last", strlen("at last"));
    g_assert_cmpstr(item->id, ==, ID "2");
}

/* An outcome whose custody line was lost is counted, never invented into an item. */
static void
test_orphans(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    AjarEvent *sent;

    apply_step(state, AJAR_EVENT_RELEASED, AJAR_DIRECTION_IN, "LOST", TEST_T0);
    sent = test_outcome_event(AJAR_EVENT_SENT, "LOST2", TEST_T0 + 5);
    sent->rule = g_strdup("Sam");
    apply(state, sent);

    g_assert_cmpuint(ajar_state_get_orphans(state), ==, 2);
    g_assert_null(ajar_state_lookup(state, "LOST"));
    g_assert_null(ajar_state_lookup(state, "LOST2"));
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->sent, ==, 1);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 0);
}

/* The streak: "sent" lines for messages that passed carry a rule, no id. */
static void
test_counters_streak(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GPtrArray) names = NULL;
    const AjarRuleCounters *sam, *alex;
    const gint64 times[] = { TEST_T0 + 30, TEST_T0 + 90, TEST_T0 + 60 };

    for (guint i = 0; i < G_N_ELEMENTS(times); i++) {
        AjarEvent *sent = test_outcome_event(AJAR_EVENT_SENT, NULL, times[i]);
        sent->rule = g_strdup("Sam");
        sent->has_dir = TRUE;
        sent->dir = AJAR_DIRECTION_OUT;
        apply(state, sent);
    }
    for (int i = 0; i < 2; i++) {
        AjarEvent *passed = test_outcome_event(AJAR_EVENT_PASSED, NULL, TEST_T0);
        passed->rule = g_strdup("Alex");
        apply(state, passed);
    }

    sam = ajar_state_get_counters(state, "Sam");
    g_assert_cmpuint(sam->sent, ==, 3);
    g_assert_cmpint(sam->last_sent, ==, TEST_T0 + 90); /* the newest, not the last line */
    alex = ajar_state_get_counters(state, "Alex");
    g_assert_cmpuint(alex->passed, ==, 2);
    g_assert_cmpint(alex->last_sent, ==, 0);
    g_assert_null(ajar_state_get_counters(state, "Nobody"));
    g_assert_cmpuint(ajar_state_get_orphans(state), ==, 0);
    names = ajar_state_list_rule_names(state);
    g_assert_cmpuint(names->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "Alex");
    g_assert_cmpstr(g_ptr_array_index(names, 1), ==, "Sam");
}

/* The review lists messages oldest first, even from a file whose lines are
 * out of order. */
static void
test_list_order(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) custody = NULL;
    const gint64 seqs[] = { 10, 30, 20 };
    const char *ids[] = { "A", "C", "B" };

    for (guint i = 0; i < G_N_ELEMENTS(seqs); i++) {
        AjarEvent *e = test_custody_event(AJAR_EVENT_HELD, ids[i], AJAR_DIRECTION_IN, "x", TEST_T0);
        e->seq = seqs[i];
        ajar_state_apply(state, e);
        ajar_event_free(e);
    }
    {
        AjarEvent *e = test_outcome_event(AJAR_EVENT_RELEASED, "B", TEST_T0);
        e->seq = 40;
        ajar_state_apply(state, e);
        ajar_event_free(e);
    }
    all = ajar_state_list(state);
    g_assert_cmpuint(all->len, ==, 3);
    for (guint i = 0; i < 3; i++) {
        static const char *const expected[] = { "A", "B", "C" };
        g_assert_cmpstr(((const AjarItem *)g_ptr_array_index(all, i))->id, ==, expected[i]);
    }
    custody = ajar_state_list_custody(state);
    g_assert_cmpuint(custody->len, ==, 2);
    g_assert_cmpstr(((const AjarItem *)g_ptr_array_index(custody, 0))->id, ==, "A");
    g_assert_cmpstr(((const AjarItem *)g_ptr_array_index(custody, 1))->id, ==, "C");
    g_assert_cmpint(ajar_state_get_last_seq(state), ==, 40);
}

/* New ids must sort after every id seen; ids of another shape are not ids
 * Ajar made and must not push new ones out of range. */
static void
test_last_id(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    const char *ids[] = { "01JDX0000000000000000000AB", "01JDX0000000000000000000AD", "zzzz",
                          "81JDX0000000000000000000AB", "01JDX0000000000000000000AC" };

    g_assert_null(ajar_state_get_last_id(state));
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++)
        apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, ids[i], TEST_T0);
    g_assert_cmpstr(ajar_state_get_last_id(state), ==, "01JDX0000000000000000000AD");
}

static void
test_unknown_events(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    AjarEvent *e = ajar_event_new(AJAR_EVENT_UNKNOWN);

    e->event_name = g_strdup("snoozed");
    e->id = g_strdup(ID);
    apply(state, e);
    apply_step(state, AJAR_EVENT_RULES_CHANGED, AJAR_DIRECTION_IN, NULL, TEST_T0);
    g_assert_null(ajar_state_lookup(state, ID));
    g_assert_cmpuint(ajar_state_get_event_count(state), ==, 2);
    g_assert_cmpuint(ajar_state_get_orphans(state), ==, 0);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 0);
}

/* A long history: counts stay exact. */
/* What "message" notices count: their messages of one rule that wait now,
 * kept as events apply, equal to counting the kept messages one by one. */
static void
test_count_waiting(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    AjarEvent *moved;
    guint counted = 0;
    g_autoptr(GPtrArray) items = NULL;

    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 0);
    apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "01JDX0000000000000000000A1", 10);
    apply_step(state, AJAR_EVENT_DELAYED, AJAR_DIRECTION_IN, "01JDX0000000000000000000A2", 11);
    apply_step(state, AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, "01JDX0000000000000000000A3", 12);
    apply_step(state, AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, "01JDX0000000000000000000A4", 13);
    apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_OUT, "01JDX0000000000000000000A5", 14);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 2);
    apply_step(state, AJAR_EVENT_RELEASED, 0, "01JDX0000000000000000000A1", 15);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 1);
    apply_step(state, AJAR_EVENT_RELEASED, 0, "01JDX0000000000000000000A1", 16); /* again */
    apply_step(state, AJAR_EVENT_DELIVERED, 0, "01JDX0000000000000000000A2", 17);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 0);
    /* A message held twice counts once; one that moves to another rule
     * leaves the first. */
    apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "01JDX0000000000000000000A6", 18);
    apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "01JDX0000000000000000000A6", 19);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 1);
    moved = test_custody_event(AJAR_EVENT_HELD, "01JDX0000000000000000000A6", AJAR_DIRECTION_IN,
                               "hello?", 20);
    g_free(moved->rule);
    moved->rule = g_strdup("Family");
    apply(state, moved);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 0);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Family"), ==, 1);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Nobody"), ==, 0);
    g_assert_cmpuint(ajar_state_count_waiting(state, NULL), ==, 0);

    items = ajar_state_list_custody(state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (item->dir == AJAR_DIRECTION_IN && g_strcmp0(item->rule, "Family") == 0 &&
            (item->state == AJAR_EVENT_HELD || item->state == AJAR_EVENT_DELAYED))
            counted++;
    }
    g_assert_cmpuint(counted, ==, 1);
}

/* "sending" / "showing" without their outcome: Ajar stopped halfway. The
 * message stays kept, marked; the outcome ends it as usual. */
static void
test_intents(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    const char *theirs = "01JDX0000000000000000000B1";
    const char *yours = "01JDX0000000000000000000B2";
    const char *done = "01JDX0000000000000000000B3";
    const AjarItem *item;
    const AjarRuleCounters *counters;

    apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, theirs, 10);
    apply_step(state, AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, yours, 11);
    apply_step(state, AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, done, 12);
    g_assert_false(ajar_state_lookup(state, theirs)->interrupted);

    apply_step(state, AJAR_EVENT_SHOWING, 0, theirs, 13);
    apply_step(state, AJAR_EVENT_SENDING, 0, yours, 14);
    apply_step(state, AJAR_EVENT_SENDING, 0, done, 15);
    apply_step(state, AJAR_EVENT_SENT, 0, done, 16);

    item = ajar_state_lookup(state, theirs);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_SHOWING);
    g_assert_true(item->interrupted);
    g_assert_true(ajar_item_in_custody(item));
    /* Still waiting for the user (what a "message" notice counts). */
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 1);
    item = ajar_state_lookup(state, yours);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_SENDING);
    g_assert_true(item->interrupted);
    g_assert_true(ajar_item_in_custody(item));
    g_assert_false(ajar_item_in_custody(ajar_state_lookup(state, done)));
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 2);
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_SENDING), ==, 1);

    /* Kept unsent after the question: still marked, and not counted as a
     * time you held back (it may have gone). */
    apply_step(state, AJAR_EVENT_CANCELLED, 0, yours, 17);
    item = ajar_state_lookup(state, yours);
    g_assert_true(item->interrupted);
    g_assert_true(ajar_item_in_custody(item));
    counters = ajar_state_get_counters(state, "Sam");
    g_assert_nonnull(counters);
    g_assert_cmpuint(counters->cancelled, ==, 0);
    g_assert_cmpuint(counters->sent, ==, 1);

    /* Released by its id after the restart: no longer kept or waiting. */
    apply_step(state, AJAR_EVENT_SHOWING, 0, theirs, 18);
    apply_step(state, AJAR_EVENT_RELEASED, 0, theirs, 19);
    g_assert_false(ajar_item_in_custody(ajar_state_lookup(state, theirs)));
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 0);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 1);
}

/* "restored" only brings back what was discarded: on a message that was
 * released, sent or is still kept it changes nothing. */
static void
test_restored_only_after_discard(void)
{
    static const AjarEventType before[] = { AJAR_EVENT_RELEASED, AJAR_EVENT_HELD };
    const char *id = "01JDX0000000000000000000C1";

    for (guint i = 0; i < G_N_ELEMENTS(before); i++) {
        g_autoptr(AjarState) state = ajar_state_new();
        const AjarItem *item;
        gint64 state_seq;

        apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, id, 10);
        if (before[i] != AJAR_EVENT_HELD)
            apply_step(state, before[i], 0, id, 11);
        state_seq = ajar_state_lookup(state, id)->state_seq;
        apply_step(state, AJAR_EVENT_RESTORED, 0, id, 12);
        item = ajar_state_lookup(state, id);
        g_assert_cmpint(item->state, ==, before[i]);
        g_assert_cmpint(item->state_seq, ==, state_seq);
        g_assert_cmpuint(ajar_state_count_in_state(state, before[i]), ==, 1);
        g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==,
                         before[i] == AJAR_EVENT_HELD ? 1 : 0);
    }
}

static void
test_many(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    const guint n = 50000;

    for (guint i = 0; i < n; i++) {
        g_autofree char *id = g_strdup_printf("M%u", i);
        apply_step(state, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, id, TEST_T0 + i);
        if (i % 2 == 0)
            apply_step(state, AJAR_EVENT_RELEASED, AJAR_DIRECTION_IN, id, TEST_T0 + i);
    }
    g_assert_cmpuint(ajar_state_count_custody(state), ==, n / 2);
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_RELEASED), ==, n / 2);
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->held, ==, n);
    g_assert_cmpuint(ajar_state_get_event_count(state), ==, n + n / 2);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

    g_test_add_func("/state/transitions", test_transitions);
    g_test_add_func("/state/custody-update", test_custody_update);
    g_test_add_func("/state/orphans", test_orphans);
    g_test_add_func("/state/counters/streak", test_counters_streak);
    g_test_add_func("/state/list/order", test_list_order);
    g_test_add_func("/state/last-id", test_last_id);
    g_test_add_func("/state/unknown-events", test_unknown_events);
    g_test_add_func("/state/many", test_many);
    g_test_add_func("/state/count-waiting", test_count_waiting);
    g_test_add_func("/state/intents", test_intents);
    g_test_add_func("/state/restored-only-after-discard", test_restored_only_after_discard);
    return g_test_run();
}
