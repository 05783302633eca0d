/* test-state-assigned.c — the state after the events and fields of issue 12:
 * a stranger's message given to a rule ("assigned"), buzzes ("attention"),
 * chat lines, quiet and asking marks, images. */
#include "ajar/ajar-state.h"
#include "store-test-util.h"

#define ID "01JDX0ABCDEFGHJKMNPQRSTVWX"
#define ID2 "01JDX0ABCDEFGHJKMNPQRSTVWY"

static gint64 next_seq = 1;

static void
apply(AjarState *state, AjarEvent *event)
{
    event->seq = next_seq++;
    ajar_state_apply(state, event);
    ajar_event_free(event);
}

static AjarEvent *
stranger_held(const char *id)
{
    AjarEvent *event = test_custody_event(AJAR_EVENT_HELD, id, AJAR_DIRECTION_IN, "hi?", TEST_T0);

    g_free(event->rule);
    event->rule = g_strdup("Strangers");
    g_free(event->buddy);
    event->buddy = g_strdup("kim@example.org");
    event->stranger = TRUE;
    return event;
}

static AjarEvent *
assigned(const char *id, const char *rule)
{
    AjarEvent *event = test_outcome_event(AJAR_EVENT_ASSIGNED, id, TEST_T0 + G_USEC_PER_SEC);

    event->rule = g_strdup(rule);
    return event;
}

/* "This is Sam": the rule changes, the stranger mark goes, the state stays;
 * what was counted stays where it was counted (history); what waits, and
 * what happens next, is Sam's. */
static void
test_assigned(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    const AjarItem *item;
    gint64 state_seq;

    apply(state, stranger_held(ID));
    item = ajar_state_lookup(state, ID);
    g_assert_true(item->stranger);
    g_assert_cmpstr(item->rule, ==, "Strangers");
    g_assert_cmpuint(ajar_state_count_waiting(state, "Strangers"), ==, 1);
    state_seq = item->state_seq;

    apply(state, assigned(ID, "Sam"));
    item = ajar_state_lookup(state, ID);
    g_assert_cmpstr(item->rule, ==, "Sam");
    g_assert_false(item->stranger);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);
    g_assert_cmpint(item->state_seq, ==, state_seq);
    g_assert_true(ajar_item_in_custody(item));
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_HELD), ==, 1);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Strangers"), ==, 0);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 1);
    g_assert_cmpuint(ajar_state_get_counters(state, "Strangers")->held, ==, 1);
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->held, ==, 0);

    apply(state, test_outcome_event(AJAR_EVENT_DISCARDED, ID, TEST_T0 + 2 * G_USEC_PER_SEC));
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->discarded, ==, 1);
    g_assert_cmpuint(ajar_state_get_counters(state, "Strangers")->discarded, ==, 0);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 0);

    /* An archived one stays archived (unread) under its new rule. */
    {
        AjarEvent *archived = stranger_held(ID2);
        archived->type = AJAR_EVENT_ARCHIVED;
        apply(state, archived);
    }
    apply(state, assigned(ID2, "Kim"));
    item = ajar_state_lookup(state, ID2);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_ARCHIVED);
    g_assert_cmpstr(item->rule, ==, "Kim");
    g_assert_false(item->stranger);
    g_assert_cmpuint(ajar_state_get_counters(state, "Strangers")->archived, ==, 1);

    /* One whose custody line was lost is an orphan, and changes nothing. */
    apply(state, assigned("01JDX0ABCDEFGHJKMNPQRSTVWZ", "Sam"));
    g_assert_cmpuint(ajar_state_get_orphans(state), ==, 1);
    g_assert_null(ajar_state_lookup(state, "01JDX0ABCDEFGHJKMNPQRSTVWZ"));
}

/* Buzzes are counted per rule and keep nothing. */
static void
test_attention(void)
{
    g_autoptr(AjarState) state = ajar_state_new();

    for (int i = 0; i < 3; i++) {
        AjarEvent *event = test_outcome_event(AJAR_EVENT_ATTENTION, NULL, TEST_T0 + i);
        event->account = g_strdup("me");
        event->protocol = g_strdup("prpl-jabber");
        event->buddy = g_strdup("sam@example.org");
        event->rule = g_strdup(i < 2 ? "Sam" : "Mum");
        event->time = TEST_T0 + i;
        apply(state, event);
    }
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->attention, ==, 2);
    g_assert_cmpuint(ajar_state_get_counters(state, "Mum")->attention, ==, 1);
    g_assert_cmpuint(ajar_state_get_counters(state, "Sam")->held, ==, 0);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 0);
    g_assert_cmpuint(ajar_state_get_event_count(state), ==, 3);
}

/* A chat line's room, nick and images, and the quiet and asking marks, are
 * kept as the last custody event says them; older lines have none. */
static void
test_fields_kept(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    const char *images[] = { "a.png", "b.gif", NULL };
    AjarEvent *event;
    const AjarItem *item;

    event = test_custody_event(AJAR_EVENT_HELD, ID, AJAR_DIRECTION_IN, "<img id=\"1\">", TEST_T0);
    event->chat = g_strdup("book club");
    event->nick = g_strdup("sam");
    event->images = g_strdupv((char **)images);
    apply(state, event);
    item = ajar_state_lookup(state, ID);
    g_assert_cmpstr(item->chat, ==, "book club");
    g_assert_cmpstr(item->nick, ==, "sam");
    /* (Their names are read back with the text; the state counts them.) */
    g_assert_cmpuint(item->n_images, ==, g_strv_length((char **)images));
    g_assert_false(item->stranger || item->quiet || item->ask);

    event = test_custody_event(AJAR_EVENT_QUEUED, ID2, AJAR_DIRECTION_OUT, "later", TEST_T0);
    event->quiet = TRUE;
    event->ask = TRUE;
    apply(state, event);
    item = ajar_state_lookup(state, ID2);
    g_assert_true(item->quiet && item->ask);
    g_assert_null(item->chat);
    g_assert_cmpuint(item->n_images, ==, 0);

    /* Kept as a letter after all: the new custody event says it all. */
    apply(state, test_custody_event(AJAR_EVENT_HELD, ID2, AJAR_DIRECTION_OUT, "later!", TEST_T0));
    item = ajar_state_lookup(state, ID2);
    g_assert_false(item->quiet || item->ask);
    g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);

    /* The text changes, and its images with it. */
    apply(state, test_custody_event(AJAR_EVENT_HELD, ID, AJAR_DIRECTION_IN, "no image", TEST_T0));
    item = ajar_state_lookup(state, ID);
    g_assert_cmpuint(item->n_images, ==, 0);
    g_assert_null(item->chat);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/state/assigned", test_assigned);
    g_test_add_func("/state/attention", test_attention);
    g_test_add_func("/state/fields-kept", test_fields_kept);
    return g_test_run();
}
