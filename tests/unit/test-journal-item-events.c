/* test-journal-item-events.c — ajar_journal_item_events(), which records a
 * message again when the journal is renewed (issue 16): checked against every
 * way a message can be kept and 2,000 random histories. */
#include "journal-test-util.h"

typedef struct {
    AjarEventType custody;
    AjarDirection dir;
    AjarEventType then[3];
} Story;

/* Every way a message stays in Ajar's custody. */
static const Story stories[] = {
    { AJAR_EVENT_HELD, AJAR_DIRECTION_IN, { 0 } },
    { AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, { 0 } },
    { AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, { AJAR_EVENT_READ } },
    { AJAR_EVENT_DELAYED, AJAR_DIRECTION_IN, { 0 } },
    { AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, { 0 } },
    { AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, { AJAR_EVENT_CANCELLED } },
    { AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, { AJAR_EVENT_SENDING } },
    { AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, { AJAR_EVENT_SENDING, AJAR_EVENT_CANCELLED } },
    { AJAR_EVENT_HELD, AJAR_DIRECTION_OUT, { 0 } },
    { AJAR_EVENT_HELD, AJAR_DIRECTION_OUT, { AJAR_EVENT_SENDING } },
    { AJAR_EVENT_HELD, AJAR_DIRECTION_IN, { AJAR_EVENT_SHOWING } },
    { AJAR_EVENT_DELAYED, AJAR_DIRECTION_IN, { AJAR_EVENT_SHOWING } },
    { AJAR_EVENT_HELD, AJAR_DIRECTION_IN, { AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED } },
    { AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, { AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED } },
    { AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, { AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED } },
    { AJAR_EVENT_DELAYED, AJAR_DIRECTION_IN, { AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED } },
};

static void
assert_items_alike(const AjarItem *a, const AjarItem *b)
{
    g_assert_cmpstr(a->id, ==, b->id);
    g_assert_cmpint(a->dir, ==, b->dir);
    g_assert_cmpstr(a->account, ==, b->account);
    g_assert_cmpstr(a->protocol, ==, b->protocol);
    g_assert_cmpstr(a->buddy, ==, b->buddy);
    g_assert_cmpstr(a->rule, ==, b->rule);
    g_assert_cmpint(a->time, ==, b->time);
    /* (States keep no texts: their lengths and checks.) */
    g_assert_cmpuint(a->text_len, ==, b->text_len);
    g_assert_cmpuint(a->text_check, ==, b->text_check);
    g_assert_cmpint(a->due, ==, b->due);
    g_assert_cmpint(a->state, ==, b->state);
    g_assert_cmpint(a->interrupted, ==, b->interrupted);
    g_assert_cmpstr(a->chat, ==, b->chat);
    g_assert_cmpstr(a->nick, ==, b->nick);
    g_assert_cmpuint(a->n_images, ==, b->n_images);
    g_assert_cmpint(a->stranger, ==, b->stranger);
    g_assert_cmpint(a->quiet, ==, b->quiet);
    g_assert_cmpint(a->ask, ==, b->ask);
    g_assert_true(ajar_item_in_custody(b));
    /* One your unsent letter brought back from "discarded" is recorded as
     * the letter it is now ("held"), whatever took it in first. */
    if (a->state != AJAR_EVENT_HELD)
        g_assert_cmpint(a->custody, ==, b->custody);
}

/* Each story, and 2,000 random ones: the events recorded again give, in a
 * state that never saw the message, the item as it was. */
static void
test_item_events(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(AjarState) again = ajar_state_new();
    g_autoptr(GPtrArray) custody = NULL;
    /* id -> its custody event: the text and images the state does not keep. */
    g_autoptr(GHashTable) taken_by_id =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)ajar_event_free);
    GRand *rand = g_rand_new_with_seed(16);
    gint64 seq = 1, ts = TEST_T0;
    guint n = G_N_ELEMENTS(stories) + 2000;

    for (guint s = 0; s < n; s++) {
        Story random_story = { 0 };
        const Story *story = s < G_N_ELEMENTS(stories) ? &stories[s] : &random_story;
        g_autofree char *id = g_strdup_printf("id-%05u", s);
        g_autofree char *text = g_strdup_printf("text \xff %u", s);
        g_autoptr(AjarEvent) taken = NULL;

        if (story == &random_story) {
            static const AjarEventType outcomes[] = {
                AJAR_EVENT_READ,     AJAR_EVENT_CANCELLED, AJAR_EVENT_SENDING,
                AJAR_EVENT_SHOWING,  AJAR_EVENT_DISCARDED, AJAR_EVENT_RESTORED,
                AJAR_EVENT_RELEASED, AJAR_EVENT_SENT,      AJAR_EVENT_DELIVERED,
            };
            random_story.custody = AJAR_EVENT_HELD + g_rand_int_range(rand, 0, 4);
            random_story.dir = g_rand_boolean(rand) ? AJAR_DIRECTION_IN : AJAR_DIRECTION_OUT;
            for (guint k = g_rand_int_range(rand, 0, 4); k > 0; k--)
                random_story.then[k - 1] = outcomes[g_rand_int_range(rand, 0, 9)];
        }
        taken = test_custody_event(story->custody, id, story->dir, text, ts);
        taken->seq = seq++;
        /* The marks and names of issue 12, at random (a chat line, a
         * stranger, quiet hours, asking first, images). */
        if (g_rand_int_range(rand, 0, 3) == 0) {
            taken->chat = g_strdup_printf("room %u", s % 7);
            taken->nick = g_strdup_printf("nick %u", s % 5);
        }
        if (g_rand_int_range(rand, 0, 3) == 0) {
            const char *images[] = { "a.png", "b.jpg", NULL };
            taken->images = g_strdupv((char **)images + g_rand_int_range(rand, 0, 2));
        }
        taken->stranger = g_rand_int_range(rand, 0, 3) == 0;
        taken->quiet = g_rand_int_range(rand, 0, 3) == 0;
        taken->ask = g_rand_int_range(rand, 0, 3) == 0;
        ajar_state_apply(state, taken);
        g_hash_table_insert(taken_by_id, g_strdup(id), ajar_event_copy(taken));
        /* A stranger's message given to a rule: the renewed line says so. */
        if (taken->stranger && g_rand_boolean(rand)) {
            g_autoptr(AjarEvent) given = test_outcome_event(AJAR_EVENT_ASSIGNED, id, ts);
            given->rule = g_strdup("Kim");
            given->seq = seq++;
            ajar_state_apply(state, given);
            g_assert_false(ajar_state_lookup(state, id)->stranger);
        }
        for (guint k = 0; k < G_N_ELEMENTS(story->then) && story->then[k] != 0; k++) {
            g_autoptr(AjarEvent) outcome = test_outcome_event(story->then[k], id, ts + k + 1);
            outcome->seq = seq++;
            ajar_state_apply(state, outcome);
        }
        ts += G_USEC_PER_SEC;
    }

    custody = ajar_state_list_custody(state);
    g_assert_cmpuint(custody->len, >=, G_N_ELEMENTS(stories));
    for (guint i = 0; i < custody->len; i++) {
        const AjarItem *item = g_ptr_array_index(custody, i);
        g_autoptr(GPtrArray) events =
            g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);

        const AjarEvent *taken = g_hash_table_lookup(taken_by_id, item->id);

        ajar_journal_item_events(item, taken->text, taken->text_len, taken->images, TEST_T0 + 1,
                                 events);
        for (guint k = 0; k < events->len; k++) {
            AjarEvent *event = g_ptr_array_index(events, k);
            g_autoptr(GString) line = g_string_new(NULL);
            g_autoptr(AjarEvent) decoded = NULL;
            g_autoptr(GError) error = NULL;

            /* Each is a valid journal line, as it will be read back. */
            event->seq = seq++;
            ajar_event_encode(event, line);
            decoded = ajar_event_decode(line->str, line->len - 1, &error);
            g_assert_no_error(error);
            /* The text and images as given, on every custody line. */
            if (ajar_event_type_is_custody(decoded->type)) {
                g_assert_cmpmem(decoded->text, decoded->text_len, taken->text, taken->text_len);
                g_assert_cmpint(decoded->images != NULL, ==, taken->images != NULL);
                if (taken->images != NULL)
                    g_assert_true(g_strv_equal((const char *const *)decoded->images,
                                               (const char *const *)taken->images));
            }
            ajar_state_apply(again, decoded);
        }
        assert_items_alike(item, ajar_state_lookup(again, item->id));
    }
    g_assert_cmpuint(ajar_state_count_custody(again), ==, custody->len);
    g_rand_free(rand);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/journal/item-events/alike", test_item_events);
    return g_test_run();
}
