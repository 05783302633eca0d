/* ajar-compaction.c — the journal compacted on its own: begun on the main
 * loop, run in a thread, finished on the main loop (see ajar-compaction.h
 * for when, and what "pending" means). The store does the work
 * (store/ajar-compact.c); this file only chooses the moment and keeps
 * the thread off the journal and the state. */
#include "ajar-compaction.h"

#include "ajar-send-watch.h"

#include <debug.h>

#include "ajar/ajar-compact.h"

/* One compaction, from its "begin" to its "finish". */
typedef struct _AjarCompaction {
    gboolean stopping;   /* unload: nothing more begins */
    guint look_source;   /* an idle or timeout that looks whether to begin */
    gboolean asked;      /* /ajar compact: begin even below the threshold */
    gint64 retry_after;  /* monotonic: no new try before (after a failure) */
    guint count;         /* journals switched this session */
    AjarCompactJob *job; /* begun, not yet finished */
    GThread *thread;     /* runs @job */
    /* Set by the thread before it ends; read on the main loop only after
     * g_thread_join() (which orders them). */
    gboolean run_ok;
    GError *run_error;
    guint finish_source; /* the idle the thread added to finish @job */
} AjarCompaction;

static gboolean look_cb(gpointer data);

/* How long until no write is pending (0: none is). */
static gint64
pending_us(AjarPlugin *ajar)
{
    gint64 settled;

    /* Between Ajar's "sending"/"showing" line and its outcome. (Never the
     * case on the main loop between events, but begin may be asked from a
     * command run inside a send.) */
    if (ajar->resending || ajar->delivering)
        return 100 * 1000;
    settled = ajar_send_watch_settled_at(ajar);
    return settled > 0 ? settled - g_get_monotonic_time() + 50 * 1000 : 0;
}

static void
look_later(AjarPlugin *ajar, gint64 delay_us)
{
    AjarCompaction *compaction = ajar->compaction;

    if (compaction->look_source != 0 || compaction->stopping)
        return;
    /* Never inside the handler that wrote: from the main loop, once what
     * is ready is done. (Not G_PRIORITY_LOW: a client whose loop always has
     * something at the default idle priority would never come to it.) */
    if (delay_us <= 0)
        compaction->look_source = g_idle_add(look_cb, ajar);
    else
        compaction->look_source =
            g_timeout_add((guint)MIN(delay_us / 1000 + 1, G_MAXUINT), look_cb, ajar);
}

static void
failed(AjarPlugin *ajar, const char *step, const GError *error)
{
    AjarCompaction *compaction = ajar->compaction;

    /* The old journal is whole: nothing is at risk, so nothing to tell the
     * user. Tried again after a pause (a full disk may have room by then). */
    purple_debug_warning("ajar", "journal compaction failed (%s), trying again in %d s: %s\n", step,
                         AJAR_COMPACTION_RETRY_SECONDS, error != NULL ? error->message : "?");
    compaction->retry_after =
        g_get_monotonic_time() + (gint64)AJAR_COMPACTION_RETRY_SECONDS * G_USEC_PER_SEC;
}

/* On the main loop, the job's thread joined: the switch, or (the run
 * failed, or the finish did) the roll back. */
static void
finish(AjarPlugin *ajar)
{
    AjarCompaction *compaction = ajar->compaction;
    g_autoptr(GError) error = g_steal_pointer(&compaction->run_error);
    AjarCompactJob *job = g_steal_pointer(&compaction->job);
    AjarCompactResult result = { 0 };
    const char *step = compaction->run_ok ? "finish" : "run"; /* no i18n: debug log */
    gboolean ok =
        compaction->run_ok && ajar_journal_compact_finish(ajar->journal, job, &result, &error);

    /* A job not finished is rolled back as it is freed: history/ cut back
     * to its sizes before, the new file removed; the old journal stays. */
    ajar_compact_job_free(job);
    compaction->run_ok = FALSE;
    if (!ok) {
        failed(ajar, step, error);
        return;
    }
    compaction->count++;
    compaction->retry_after = 0;
    purple_debug_info("ajar",
                      "journal compacted: %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
                      " bytes; %u lines kept, %u moved to history/ (%u files)\n",
                      result.journal_bytes_before, result.journal_bytes_after, result.lines_kept,
                      result.lines_moved, result.history_files);
}

static gboolean
finish_cb(gpointer data)
{
    AjarPlugin *ajar = data;
    AjarCompaction *compaction = ajar->compaction;

    /* The thread added this idle as its last act: the join is at once. */
    g_thread_join(g_steal_pointer(&compaction->thread));
    compaction->finish_source = 0;
    finish(ajar);
    return G_SOURCE_REMOVE;
}

/* The job's thread: touches neither the journal nor the state. */
static gpointer
run_thread(gpointer data)
{
    AjarPlugin *ajar = data;
    AjarCompaction *compaction = ajar->compaction;

    compaction->run_ok = ajar_compact_job_run(compaction->job, &compaction->run_error);
    compaction->finish_source = g_idle_add(finish_cb, ajar);
    return NULL;
}

/* Begins a compaction now. FALSE when it could not begin (@error). */
static gboolean
begin(AjarPlugin *ajar, GError **error)
{
    AjarCompaction *compaction = ajar->compaction;
    g_autoptr(GError) thread_error = NULL;

    compaction->asked = FALSE;
    /* Appends the summary and notes what the job needs: on this thread,
     * the journal's. */
    compaction->job = ajar_journal_compact_begin(ajar->journal, error);
    if (compaction->job == NULL)
        return FALSE;
    compaction->thread = g_thread_try_new("ajar-compact" /* no i18n: thread name */, run_thread,
                                          ajar, &thread_error);
    if (compaction->thread == NULL) {
        /* No thread to be had: the job runs here, once. */
        purple_debug_warning("ajar", "journal compaction runs on the main loop: %s\n",
                             thread_error->message);
        compaction->run_ok = ajar_compact_job_run(compaction->job, &compaction->run_error);
        finish(ajar);
    }
    return TRUE;
}

static gboolean
wanted(AjarPlugin *ajar)
{
    AjarCompaction *compaction = ajar->compaction;

    return compaction->asked || (g_get_monotonic_time() >= compaction->retry_after &&
                                 ajar_journal_wants_compaction(ajar->journal));
}

static gboolean
look_cb(gpointer data)
{
    AjarPlugin *ajar = data;
    AjarCompaction *compaction = ajar->compaction;
    g_autoptr(GError) error = NULL;
    gint64 wait;

    compaction->look_source = 0;
    if (compaction->stopping || compaction->job != NULL || ajar->journal == NULL || !wanted(ajar))
        return G_SOURCE_REMOVE;
    if ((wait = pending_us(ajar)) > 0) {
        look_later(ajar, wait);
        return G_SOURCE_REMOVE;
    }
    if (!begin(ajar, &error))
        failed(ajar, "begin" /* no i18n: debug log */, error);
    return G_SOURCE_REMOVE;
}

/* After each journal write that worked: cheap (the journal counts its
 * lines as it writes them). */
static void
journal_grew_cb(AjarPlugin *ajar)
{
    AjarCompaction *compaction = ajar->compaction;

    if (compaction->job == NULL && compaction->look_source == 0 && wanted(ajar))
        look_later(ajar, 0);
}

void
ajar_compaction_start(AjarPlugin *ajar)
{
    if (ajar->journal == NULL || ajar->compaction != NULL)
        return;
    ajar->compaction = g_new0(AjarCompaction, 1);
    ajar->journal_grew_func = journal_grew_cb;
    /* A journal loaded over the threshold is compacted now. */
    journal_grew_cb(ajar);
}

void
ajar_compaction_stop(AjarPlugin *ajar)
{
    AjarCompaction *compaction = ajar->compaction;

    if (compaction == NULL)
        return;
    compaction->stopping = TRUE;
    ajar->journal_grew_func = NULL;
    g_clear_handle_id(&compaction->look_source, g_source_remove);
    if (compaction->thread != NULL) {
        /* Waited for: a job is about a second for a million lines. */
        g_thread_join(g_steal_pointer(&compaction->thread));
        /* Its idle was added before the thread ended, and has not run. */
        g_clear_handle_id(&compaction->finish_source, g_source_remove);
        finish(ajar);
    }
    g_clear_error(&compaction->run_error);
    g_clear_pointer(&ajar->compaction, g_free);
}

AjarCompactionRequest
ajar_compaction_request(AjarPlugin *ajar, GError **error)
{
    AjarCompaction *compaction = ajar->compaction;
    gint64 wait;

    if (ajar->journal == NULL || compaction == NULL || compaction->stopping)
        return AJAR_COMPACTION_NOT_NOW;
    if (compaction->job != NULL)
        return AJAR_COMPACTION_RUNNING;
    compaction->asked = TRUE;
    if ((wait = pending_us(ajar)) > 0) {
        look_later(ajar, wait);
        return AJAR_COMPACTION_LATER;
    }
    g_clear_handle_id(&compaction->look_source, g_source_remove);
    if (!begin(ajar, error)) {
        failed(ajar, "begin" /* no i18n: debug log */, error != NULL ? *error : NULL);
        return AJAR_COMPACTION_LATER;
    }
    return AJAR_COMPACTION_BEGUN;
}

guint
ajar_compaction_count(AjarPlugin *ajar)
{
    return ajar->compaction != NULL ? ajar->compaction->count : 0;
}
