/* test-images.c — image tags in markup and image file names (ajar-images.h). */
#include <string.h>

#include "ajar/ajar-images.h"

static GArray *
find(const char *markup)
{
    return ajar_image_tags_find(markup, strlen(markup));
}

static void
test_find(void)
{
    const char *markup = "a <IMG ID=\"7\"> b <img src='x.png'> <img alt='>' id='12'/>"
                         "<imgx id=3> <img id=0> <img id=99999999999> <img id=5";
    g_autoptr(GArray) tags = find(markup);
    AjarImageTag *tag;

    g_assert_cmpuint(tags->len, ==, 2);
    tag = &g_array_index(tags, AjarImageTag, 0);
    g_assert_cmpuint(tag->id, ==, 7);
    g_assert_cmpuint(tag->start, ==, 2);
    g_assert_cmpuint(tag->end, ==, 14);
    tag = &g_array_index(tags, AjarImageTag, 1);
    g_assert_cmpuint(tag->id, ==, 12);
    g_assert_true(markup[tag->end - 1] == '>');

    g_array_unref(find("<img id=4>"));
    {
        g_autoptr(GArray) bare = find("x<img id=4>y");
        g_assert_cmpuint(bare->len, ==, 1);
        g_assert_cmpuint(g_array_index(bare, AjarImageTag, 0).id, ==, 4);
    }
    {
        g_autoptr(GArray) none = find("no images <3 <i>here</i>");
        g_assert_cmpuint(none->len, ==, 0);
    }
}

static void
test_rewrite(void)
{
    const char *markup = "look <img id=\"7\" alt=\"cat\"> and <IMG ID=12> end";
    g_autoptr(GArray) tags = find(markup);
    guint ids[] = { 41, 0 };
    g_autofree char *out = NULL;

    g_assert_cmpuint(tags->len, ==, 2);
    out = ajar_image_tags_rewrite(markup, strlen(markup), tags, ids, "[image missing]");
    g_assert_cmpstr(out, ==, "look <img id=\"41\" alt=\"cat\"> and [image missing] end");
}

static void
test_names(void)
{
    const guint8 data[] = "PNG bytes";
    g_autofree char *name = ajar_image_file_name(data, sizeof data - 1, "png");
    g_autofree char *odd = ajar_image_file_name(data, sizeof data - 1, "../x");
    g_autofree char *none = ajar_image_file_name(data, sizeof data - 1, NULL);
    g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, sizeof data - 1);

    g_assert_true(g_str_has_prefix(name, hash));
    g_assert_true(g_str_has_suffix(name, ".png"));
    g_assert_true(g_str_has_suffix(odd, ".img"));
    g_assert_true(g_str_has_suffix(none, ".img"));
    g_assert_true(ajar_image_file_name_valid(name));
    g_assert_true(ajar_image_data_matches(data, sizeof data - 1, name));
    g_assert_false(ajar_image_data_matches(data, sizeof data - 2, name));
    g_assert_false(ajar_image_file_name_valid("../../etc/passwd"));
    g_assert_false(ajar_image_file_name_valid(""));
    g_assert_false(ajar_image_file_name_valid(NULL));
    {
        g_autofree char *upper = g_ascii_strup(name, -1);
        g_autofree char *slash = g_strconcat(hash, "./png", NULL);
        g_autofree char *noext = g_strconcat(hash, ".", NULL);
        g_assert_false(ajar_image_file_name_valid(upper));
        g_assert_false(ajar_image_file_name_valid(slash));
        g_assert_false(ajar_image_file_name_valid(noext));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/images/find", test_find);
    g_test_add_func("/images/rewrite", test_rewrite);
    g_test_add_func("/images/names", test_names);
    return g_test_run();
}
