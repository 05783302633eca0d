/* bench-plugin-common.c — what the libpurple benchmark's figures share
 * (bench-plugin.h): the account, rules, the spread of per-message times,
 * and settling the client between batches. The figures stand on it:
 * bench-plugin-more.c (3, 5, pidgin-privacy-please), then bench-plugin.c
 * (1, 2, and main). */
#include "bench-plugin-common.h"

#include <stdlib.h>

PurpleAccount *
bench_account(void)
{
    return ajar_test_account(BENCH_ME);
}

void
bench_write_rules(guint count, const char *extra)
{
    GString *json = g_string_new("{\"version\": 1, \"rules\": [\n");

    for (guint i = 0; i < count; i++)
        g_string_append_printf(json,
                               "%s{\"name\": \"Person %u\", \"match\": [{\"account\": \"" BENCH_ME
                               "\", \"protocol\": \"" TEST_PRPL_ID
                               "\", \"buddy\": \"person%u@example.org\"}], \"incoming\": "
                               "{\"action\": \"hold\"}, \"pass_keywords\": [\"emergency\"]}\n",
                               i == 0 ? "" : ",", i, i);
    if (extra != NULL)
        g_string_append_printf(json, "%s%s\n", count == 0 ? "" : ",", extra);
    g_string_append(json, "]}\n");
    ajar_test_write_rules(json->str);
    g_string_free(json, TRUE);
}

void
bench_ajar_with_rules(guint count, const char *extra)
{
    ajar_test_unload();
    bench_write_rules(count, extra);
    ajar_test_load();
    bench_settle();
}

static int
compare_gint64(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

    return x < y ? -1 : x > y ? 1 : 0;
}

BenchSpread
bench_spread(gint64 *ns, guint count)
{
    BenchSpread spread = { 0 };

    if (count == 0)
        return spread;
    qsort(ns, count, sizeof *ns, compare_gint64);
    spread.median = (double)ns[count / 2];
    spread.p99 = (double)ns[MIN(count - 1, (guint)((count * 99ull) / 100))];
    spread.max = (double)ns[count - 1];
    return spread;
}

void
bench_settle(void)
{
    test_client_iterate(1000);
    ajar_test_drain();
    /* libpurple keeps every line a conversation showed (and registers each
     * with its D-Bus pointer table): emptied, every batch starts from the
     * same state instead of paying for some table's growth by chance. */
    for (GList *l = purple_get_conversations(); l != NULL; l = l->next)
        purple_conversation_clear_message_history(l->data);
}
