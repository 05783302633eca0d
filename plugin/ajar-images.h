/* ajar-images.h — the images of a message Ajar keeps: saved beside the
 * journal before the message is journaled, given back to the messenger
 * when it is shown (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* The largest image Ajar keeps (bigger ones: the message is shown). */
#define AJAR_IMAGE_MAX_SIZE (64 * 1024 * 1024)

/* Saves each image the <img id="N"> tags of @message name (libpurple's
 * image store) into <ajar dir>/images/ (0700): one file per picture, 0600,
 * named by its SHA-256, written atomically and synced; and sets
 * @event->images to their names in tag order (a tag naming no stored image
 * gets the name "missing"). Nothing when @message has no image tags. FALSE
 * with @error when an image could not be saved: the message must not be
 * kept, since the journal would name a file that is not there. */
gboolean ajar_images_keep(AjarPlugin *ajar, const char *message, AjarEvent *event, GError **error);

/* A kept message's @text (@len bytes) to show again, @images its pictures'
 * file names (as read back with it, ajar_context_item_text()): each image
 * read back, checked against its name, given to the image store with a new
 * id and its tag pointed at it; one that is gone or damaged becomes "[image
 * missing]" (the debug log says which). *@ids gets the new ids:
 * ajar_images_done() after showing. Returns: (transfer full). */
char *ajar_images_restore(AjarPlugin *ajar, const char *text, gsize len, char **images,
                          GArray **ids);
/* Drops the references ajar_images_restore() took (the conversation keeps
 * its own while it shows them); frees @ids. NULL does nothing. */
void ajar_images_done(GArray *ids);

/* Removes the image files that no message Ajar keeps names, nor one
 * discarded in the last AJAR_RECENTLY_DISCARDED_DAYS days (still undoable):
 * what a renewed journal would still carry. Only names of Ajar's own shape
 * are touched; nothing when the journal has damaged lines (a line that
 * could not be read may name one), nor when a kept message's line cannot be
 * read back (it may name one too). */
void ajar_images_sweep(AjarPlugin *ajar);
