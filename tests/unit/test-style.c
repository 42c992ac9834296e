/* test-style.c — unit tests of the style stage: the shipped styles, inheritance, --set
 * overrides, units, every error message, dump round trips, detection and the list; the
 * built-in defaults against default.style and every key against docs/styles.md; hostile
 * sheets (BOM, duplicates, bad tags, files that are not style sheets); regex budgets;
 * localized values; the keys of the structure work.
 *
 * Test style files are written into a fresh temporary directory per test and removed
 * afterwards; the shipped styles are read from $IMP_SOURCE_DIR/styles.
 */
#include "style/style.h"
#include "util/diag.h"
#include "util/error.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define MM (72.0 / 25.4)

/* ================================================================ fixture */

typedef struct {
    char *tmp;          /* a fresh directory for test styles */
    char *shipped;      /* the source tree's styles/ */
    const char *dirs[3]; /* tmp, shipped, NULL */
} Fixture;

static const char *source_dir(void)
{
    const char *dir = g_getenv("IMP_SOURCE_DIR");
    return dir != NULL ? dir : IMP_SOURCE_DIR;
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    GError *error = NULL;
    f->tmp = g_dir_make_tmp("test-style-XXXXXX", &error);
    g_assert_no_error(error);
    f->shipped = g_build_filename(source_dir(), "styles", NULL);
    f->dirs[0] = f->tmp;
    f->dirs[1] = f->shipped;
    f->dirs[2] = NULL;
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    GDir *dir = g_dir_open(f->tmp, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        char *p = g_build_filename(f->tmp, name, NULL);
        g_assert_cmpint(g_remove(p), ==, 0);
        g_free(p);
    }
    if (dir != NULL)
        g_dir_close(dir);
    g_assert_cmpint(g_rmdir(f->tmp), ==, 0);
    g_free(f->tmp);
    g_free(f->shipped);
}

/* Writes tmp/NAME and returns its path (transfer full). */
static char *write_style(Fixture *f, const char *name, const char *text)
{
    char *path = g_build_filename(f->tmp, name, NULL);
    GError *error = NULL;
    g_file_set_contents(path, text, -1, &error);
    g_assert_no_error(error);
    return path;
}

static ImpStyle *load_ok(Fixture *f, const char *name, const char *const *overrides)
{
    GError *error = NULL;
    ImpStyle *style = imp_style_load(name, f->dirs, overrides, &error);
    g_assert_no_error(error);
    g_assert_nonnull(style);
    return style;
}

/* Loads a style that must fail and returns the message (transfer full). */
static char *load_fail(Fixture *f, const char *name, const char *const *overrides)
{
    GError *error = NULL;
    ImpStyle *style = imp_style_load(name, f->dirs, overrides, &error);
    g_assert_null(style);
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    char *msg = g_strdup(error->message);
    g_test_message("error: %s", msg);
    g_error_free(error);
    return msg;
}

/* Writes a style file `text` as tmp/NAME, loads it, expects failure with a message that
 * contains every one of the NULL-terminated `parts`. */
static void expect_error(Fixture *f, const char *name, const char *text, ...)
    G_GNUC_NULL_TERMINATED;
static void expect_error(Fixture *f, const char *name, const char *text, ...)
{
    char *path = write_style(f, name, text);
    char *msg = load_fail(f, path, NULL);
    va_list ap;
    va_start(ap, text);
    const char *part;
    while ((part = va_arg(ap, const char *)) != NULL) {
        if (strstr(msg, part) == NULL)
            g_error("message '%s' lacks '%s'", msg, part);
    }
    va_end(ap);
    g_free(msg);
    g_free(path);
}

static void expect_override_error(Fixture *f, const char *override, const char *part1,
                                  const char *part2)
{
    const char *overrides[] = { override, NULL };
    char *msg = load_fail(f, "default", overrides);
    if (strstr(msg, part1) == NULL || (part2 != NULL && strstr(msg, part2) == NULL))
        g_error("message '%s' lacks '%s' or '%s'", msg, part1, part2 ? part2 : "");
    g_free(msg);
}

#define assert_pt(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-3)

/* ================================================================ shipped styles */

static void test_default(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "default", NULL);
    g_assert_cmpstr(imp_style_get_name(s), ==, "default");
    g_assert_true(*imp_style_get_description(s) != '\0');
    g_assert_true(g_str_has_suffix(imp_style_get_path(s), "default.style"));

    const ImpPageStyle *p = imp_style_get_page(s);
    assert_pt(p->width, 595.276);
    assert_pt(p->height, 841.89);
    assert_pt(p->margin_top, 25 * MM);
    assert_pt(p->margin_left, 38 * MM);
    g_assert_cmpfloat(p->header_height, <=, p->margin_top);
    g_assert_cmpfloat(p->footer_height, <=, p->margin_bottom);

    const ImpRoleStyle *body = imp_style_get_role(s, IMP_ROLE_BODY);
    g_assert_cmpstr(body->family[IMP_SCRIPT_LATIN], ==, "Noto Serif");
    g_assert_cmpstr(body->family[IMP_SCRIPT_HAN], ==, "Noto Serif CJK SC");
    g_assert_cmpstr(body->family[IMP_SCRIPT_FALLBACK], ==,
                    "Noto Sans Symbols,Noto Sans Symbols2");
    g_assert_cmpfloat(body->size, >=, 10.5);
    g_assert_cmpfloat(body->size, <=, 11);
    assert_pt(body->leading, body->size * 1.5);
    g_assert_cmpint(body->align, ==, IMP_ALIGN_JUSTIFY);
    g_assert_true(body->hyphenate);
    g_assert_cmpint(body->weight, ==, 400);

    const ImpRoleStyle *h1 = imp_style_get_role(s, IMP_ROLE_H1);
    g_assert_cmpstr(h1->family[IMP_SCRIPT_LATIN], ==, "Noto Sans");
    g_assert_cmpint(h1->weight, ==, 700);
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_TITLE)->family[IMP_SCRIPT_HAN], ==,
                    "Noto Sans CJK SC");

    const ImpRunningStyle *hd = imp_style_get_header(s), *ft = imp_style_get_footer(s);
    g_assert_cmpstr(hd->slot[IMP_SLOT_LEFT], ==, "{title}");
    g_assert_cmpstr(hd->slot[IMP_SLOT_RIGHT], ==, "{section}");
    for (int i = 0; i < IMP_N_SLOTS; i++)
        g_assert_cmpstr(hd->first_slot[i], ==, "");
    g_assert_cmpstr(ft->slot[IMP_SLOT_LEFT], ==, "{source}");
    g_assert_cmpstr(ft->slot[IMP_SLOT_RIGHT], ==, "Page {page} of {pages}");
    /* footer first-* unset: the first page has the same footer */
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_RIGHT], ==, "Page {page} of {pages}");
    g_assert_cmpfloat(hd->rule.thickness, >, 0);
    g_assert_cmpfloat(hd->rule.thickness, <, 1);
    g_assert_cmpfloat(imp_style_get_role(s, IMP_ROLE_FOOTER)->size, <=, 8.5);

    const ImpDocumentStyle *d = imp_style_get_document(s);
    g_assert_cmpstr(d->language, ==, "en");
    g_assert_cmpstr(d->han_language, ==, "zh-Hans");
    g_assert_cmpstr(d->kana_language, ==, "ja");
    g_assert_cmpstr(d->hangul_language, ==, "ko");
    g_assert_cmpint(d->line_breaking, ==, IMP_BREAK_OPTIMAL);
    g_assert_cmpint(d->widows, ==, 2);
    g_assert_cmpint(d->orphans, ==, 2);
    assert_pt(d->han_latin_gap, 0.25);
    g_assert_cmpint(d->notice_placement, ==, IMP_NOTICE_END);
    g_assert_cmpfloat(d->notice_rule.thickness, >, 0);
    g_assert_false(d->masthead);
    assert_pt(imp_style_get_role(s, IMP_ROLE_NOTICE)->size, 8.5);

    const ImpReadRules *rd = imp_style_get_read_rules(s);
    g_assert_null(rd->detect);
    g_assert_null(rd->masthead);
    g_assert_nonnull(rd->chrome);
    g_assert_null(rd->chrome[0]);
    g_assert_null(rd->site);
    g_assert_null(rd->source);
    imp_style_free(s);
}

static void test_letter(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "letter", NULL);
    const ImpPageStyle *p = imp_style_get_page(s);
    assert_pt(p->width, 612);
    assert_pt(p->height, 792);
    assert_pt(p->margin_left, 108);
    assert_pt(p->margin_top, 72);
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_TITLE)->family[IMP_SCRIPT_LATIN], ==,
                    "Noto Sans");
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_H2)->family[IMP_SCRIPT_LATIN], ==,
                    "Noto Sans");
    /* inherited from default */
    g_assert_cmpstr(imp_style_get_footer(s)->slot[IMP_SLOT_RIGHT], ==, "Page {page} of {pages}");
    /* [style] name/description are the file's own */
    g_assert_cmpstr(imp_style_get_name(s), ==, "letter");
    imp_style_free(s);
}

static void test_archival(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "archival", NULL);
    const ImpPageStyle *p = imp_style_get_page(s);
    assert_pt(p->width, 595.276);
    assert_pt(p->height, 841.89);
    g_assert_cmpfloat(p->margin_left, >=, 30 * MM - 1e-9);
    g_assert_cmpfloat(p->margin_top, >=, 30 * MM - 1e-9);
    const ImpDocumentStyle *d = imp_style_get_document(s);
    g_assert_cmpint(d->notice_placement, ==, IMP_NOTICE_EVERY_PAGE);
    g_assert_cmpfloat(imp_style_get_role(s, IMP_ROLE_NOTICE)->size, <=, 7.5);
    /* inherited from default */
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_BODY)->family[IMP_SCRIPT_LATIN], ==,
                    "Noto Serif");
    imp_style_free(s);
}

static void test_mofcom(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "mofcom", NULL);
    g_assert_nonnull(strstr(imp_style_get_description(s), "english.mofcom.gov.cn"));
    g_assert_true(imp_style_get_document(s)->masthead);
    const ImpRunningStyle *hd = imp_style_get_header(s), *ft = imp_style_get_footer(s);
    g_assert_cmpstr(hd->slot[IMP_SLOT_LEFT], ==, "{site}");
    g_assert_cmpstr(hd->slot[IMP_SLOT_CENTER], ==, "{section}");
    g_assert_cmpstr(hd->slot[IMP_SLOT_RIGHT], ==, "{title}");
    g_assert_cmpstr(hd->first_slot[IMP_SLOT_LEFT], ==, "");
    g_assert_cmpstr(ft->slot[IMP_SLOT_LEFT], ==, "{source}");
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_LEFT], ==, "{source}");
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_RIGHT], ==, "Page {page} of {pages}");

    const ImpReadRules *rd = imp_style_get_read_rules(s);
    g_assert_cmpstr(rd->site, ==, "MOFCOM");
    g_assert_cmpstr(rd->source, ==, "Source: Ministry of Commerce Website");
    g_assert_true(g_regex_match(rd->detect, "MOFCOM | 简体中文版", 0, NULL));
    g_assert_false(g_regex_match(rd->detect, "About MOFCOM | x", 0, NULL));

    GMatchInfo *mi = NULL;
    g_assert_true(g_regex_match(rd->masthead, "MOFCOM | 简体中文版", 0, &mi));
    char *site = g_match_info_fetch_named(mi, "site");
    char *extra = g_match_info_fetch_named(mi, "extra");
    g_assert_cmpstr(site, ==, "MOFCOM");
    g_assert_cmpstr(extra, ==, "简体中文版");
    g_free(site);
    g_free(extra);
    g_match_info_free(mi);

    g_assert_true(g_regex_match(rd->breadcrumb, "Home> Speeches", 0, &mi));
    char *section = g_match_info_fetch_named(mi, "section");
    g_assert_cmpstr(section, ==, "Speeches");
    g_free(section);
    g_match_info_free(mi);

    g_assert_nonnull(rd->chrome[0]);
    g_assert_nonnull(rd->chrome[1]);
    g_assert_null(rd->chrome[2]);
    g_assert_true(g_regex_match(rd->chrome[0], "Release Comment:Pen Name: View Comment", 0, NULL));
    g_assert_true(g_regex_match(rd->chrome[1], "Big Medium-sized Small", 0, NULL));
    /* anchored: a whole line, not a part of one */
    g_assert_false(g_regex_match(rd->chrome[1], "The Big Medium-sized Small shop", 0, NULL));
    g_assert_true(g_regex_match(rd->notice_start,
                                "Ministry of Commerce Website Copyright and Disclaimer Statement",
                                0, NULL));
    imp_style_free(s);
}

/* ================================================================ inheritance, overrides */

static void test_inheritance(Fixture *f, gconstpointer data)
{
    (void)data;
    g_free(write_style(f, "grand.style",
                       "[style]\ndescription=grand\n"
                       "[body]\nfont-size=9pt\ncolor=#112233\nfont-family=Grand Serif\n"
                       "line-height=1.2\n"
                       "[h1]\nfont-size=20pt\n"
                       "[page]\nmargin-left=10mm\nmargin-right=10mm\n"));
    g_free(write_style(f, "parent.style",
                       "[style]\ninherits=grand\n"
                       "[body]\nfont-size=10pt\n"
                       "[page]\nmargin-left=15mm\n"));
    g_free(write_style(f, "child.style",
                       "[style]\ninherits=./parent.style\n"
                       "[body]\nfont-size=11pt\n"));
    ImpStyle *s = load_ok(f, "child", NULL);
    const ImpRoleStyle *body = imp_style_get_role(s, IMP_ROLE_BODY);
    const ImpRoleStyle *h1 = imp_style_get_role(s, IMP_ROLE_H1);
    assert_pt(body->size, 11);                  /* child wins */
    g_assert_cmphex(body->color, ==, 0x112233); /* grandparent flows through */
    assert_pt(h1->size, 20);
    g_assert_cmphex(h1->color, ==, 0x112233);   /* unset role colour: [body]'s */
    g_assert_cmpstr(h1->family[IMP_SCRIPT_LATIN], ==, "Grand Serif");
    assert_pt(h1->leading, 24);                 /* body's multiple, h1's size */
    assert_pt(imp_style_get_page(s)->margin_left, 15 * MM); /* parent over grandparent */
    assert_pt(imp_style_get_page(s)->margin_right, 10 * MM);
    /* the name and description are not inherited */
    g_assert_cmpstr(imp_style_get_name(s), ==, "child");
    g_assert_cmpstr(imp_style_get_description(s), ==, "");
    /* built-in role defaults */
    g_assert_cmpint(h1->weight, ==, 700);
    g_assert_cmpint(imp_style_get_role(s, IMP_ROLE_CODE)->align, ==, IMP_ALIGN_LEFT);
    imp_style_free(s);
}

static void test_fallbacks(Fixture *f, gconstpointer data)
{
    (void)data;
    char *path = write_style(f, "plain.style",
                             "[body]\nfont-size=10pt\nline-height=15pt\nfont-style=italic\n"
                             "[h2]\nfont-size=20pt\n"
                             "[footer]\nleft=A\nfirst-center=B\nfirst-right=\n"
                             "color=#ff0000\n");
    ImpStyle *s = load_ok(f, path, NULL);
    const ImpRoleStyle *h2 = imp_style_get_role(s, IMP_ROLE_H2);
    assert_pt(h2->leading, 30);  /* 15pt on 10pt is 1.5x; at 20pt: 30pt */
    g_assert_true(h2->italic);
    const ImpRunningStyle *ft = imp_style_get_footer(s);
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_LEFT], ==, "A");   /* unset: the regular slot */
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_CENTER], ==, "B");
    g_assert_cmpstr(ft->first_slot[IMP_SLOT_RIGHT], ==, "");   /* empty: empty */
    g_assert_cmphex(ft->rule.color, ==, 0xff0000);             /* rule-color: the colour */
    assert_pt(ft->rule.thickness, 0.4);    /* unset, derived from nothing: default.style's */
    g_assert_cmpstr(imp_style_get_name(s), ==, "plain");
    imp_style_free(s);
    g_free(path);
}

static void test_overrides(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *overrides[] = {
        "body.font-size=12pt", "page.size=letter", " header.left = {page} ",
        "reading.detect=Foo\\s+bar", "reading.chrome=a;b\\;c;", "body.font-size=13pt", NULL
    };
    ImpStyle *s = load_ok(f, "default", overrides);
    assert_pt(imp_style_get_role(s, IMP_ROLE_BODY)->size, 13); /* later --set wins */
    assert_pt(imp_style_get_page(s)->width, 612);
    g_assert_cmpstr(imp_style_get_header(s)->slot[IMP_SLOT_LEFT], ==, "{page}");
    const ImpReadRules *rd = imp_style_get_read_rules(s);
    g_assert_true(g_regex_match(rd->detect, "Foo  bar", 0, NULL));
    g_assert_true(g_regex_match(rd->chrome[1], "b;c", 0, NULL));
    g_assert_null(rd->chrome[2]);
    imp_style_free(s);
}

static void test_units(Fixture *f, gconstpointer data)
{
    (void)data;
    char *path = write_style(f, "units.style",
                             "[style]\ninherits=default\n"
                             "[page]\nsize=150mmx200mm\nmargin-top=1in\nmargin-bottom=2.54cm\n"
                             "margin-left=25.4mm\nmargin-right=72pt\nheader-height=0\n"
                             "footer-height=0.5in\n"
                             "[body]\nfont-size=10pt\ntext-indent=2em\nspace-before=0.5em\n"
                             "space-after=3 mm\nline-height=14pt\n"
                             "[h1]\nfont-size=0.25in\ntext-indent=-1.5em\n"
                             "[h2]\nfont-size=10pt\nline-height=1.2em\n"
                             "[document]\nmax-stretch=0.75\nhan-latin-gap=0.125em\n");
    ImpStyle *s = load_ok(f, path, NULL);
    const ImpPageStyle *p = imp_style_get_page(s);
    assert_pt(p->width, 150 * MM);
    assert_pt(p->height, 200 * MM);
    assert_pt(p->margin_top, 72);
    assert_pt(p->margin_bottom, 72);
    assert_pt(p->margin_left, 72);
    assert_pt(p->margin_right, 72);
    assert_pt(p->header_height, 0);
    assert_pt(p->footer_height, 36);
    const ImpRoleStyle *body = imp_style_get_role(s, IMP_ROLE_BODY);
    assert_pt(body->indent, 20);
    assert_pt(body->space_before, 5);
    assert_pt(body->space_after, 3 * MM);
    assert_pt(body->leading, 14);
    const ImpRoleStyle *h1 = imp_style_get_role(s, IMP_ROLE_H1);
    assert_pt(h1->size, 18);
    assert_pt(h1->indent, -27);
    assert_pt(imp_style_get_role(s, IMP_ROLE_H2)->leading, 12);
    assert_pt(imp_style_get_document(s)->max_stretch, 0.75);
    assert_pt(imp_style_get_document(s)->han_latin_gap, 0.125);
    imp_style_free(s);

    /* named sizes, case-insensitive */
    static const struct {
        const char *size;
        double w, h;
    } sizes[] = {
        { "A3", 841.89, 1190.551 }, { "a4", 595.276, 841.89 }, { "A5", 419.528, 595.276 },
        { "B5", 498.898, 708.661 }, { "LETTER", 612, 792 }, { "Legal", 612, 1008 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
        char *o = g_strdup_printf("page.size=%s", sizes[i].size);
        const char *overrides[] = { o, NULL };
        s = load_ok(f, "default", overrides);
        assert_pt(imp_style_get_page(s)->width, sizes[i].w);
        assert_pt(imp_style_get_page(s)->height, sizes[i].h);
        imp_style_free(s);
        g_free(o);
    }
    g_free(path);
}

static void test_landscape(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *overrides[] = { "page.orientation=landscape", NULL };
    ImpStyle *s = load_ok(f, "default", overrides);
    assert_pt(imp_style_get_page(s)->width, 841.89);
    assert_pt(imp_style_get_page(s)->height, 595.276);
    imp_style_free(s);
    const char *letter[] = { "page.orientation=landscape", "page.size=Letter", NULL };
    s = load_ok(f, "default", letter);
    assert_pt(imp_style_get_page(s)->width, 792);
    assert_pt(imp_style_get_page(s)->height, 612);
    imp_style_free(s);
}

/* ================================================================ errors */

static void test_errors_file(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_error(f, "e1.style", "[style]\ninherits=default\n\n[bodyy]\nfont-size=10pt\n",
                 "e1.style:4:", "unknown group [bodyy]", "did you mean [body]", NULL);
    expect_error(f, "e2.style", "[body]\nfont-size=10pt\nfont-szie=11pt\n",
                 "e2.style:3:", "[body] font-szie", "unknown key", "font-size", NULL);
    expect_error(f, "e3.style", "[h1]\nfont-weight=heavy\n",
                 "e3.style:2:", "[h1] font-weight", "heavy", NULL);
    expect_error(f, "e4.style", "[page]\nmargin-top=20\n",
                 "e4.style:2:", "[page] margin-top", "needs a unit", NULL);
    expect_error(f, "e5.style", "# c\n[page]\nsize=A4\nmargin-left=20px\n",
                 "e5.style:4:", "[page] margin-left", "unknown unit 'px'", NULL);
    expect_error(f, "e6.style", "[page]\nmargin-left=abc\n",
                 "e6.style:2:", "margin-left", "not a length", NULL);
    expect_error(f, "e7.style", "[page]\nsize=A4\nmargin-left=100mm\nmargin-right=95mm\n",
                 "e7.style:4:", "[page] margin-right", "text area", "72pt", NULL);
    expect_error(f, "e8.style", "[page]\nmargin-top=140mm\nmargin-bottom=140mm\n",
                 "e8.style:3:", "margin-bottom", "high", NULL);
    expect_error(f, "e9.style", "[page]\nmargin-top=10mm\nheader-height=15mm\n",
                 "e9.style:3:", "[page] header-height", "margin-top", NULL);
    expect_error(f, "e10.style", "[page]\nfooter-height=30mm\nmargin-bottom=20mm\n",
                 "e10.style:3:", "margin-bottom", "footer", NULL);
    expect_error(f, "e11.style", "[h2]\nfont-size=0\n",
                 "e11.style:2:", "[h2] font-size", "more than 0pt", NULL);
    expect_error(f, "e12.style", "[h2]\nfont-size=-3pt\n", "e12.style:2:", "font-size", NULL);
    expect_error(f, "e13.style", "[h2]\n\nfont-size=1000pt\n",
                 "e13.style:3:", "font-size", "at most 500pt", NULL);
    expect_error(f, "e14.style", "[style]\nname=x\ninherits=nosuchstyle\n",
                 "e14.style:3:", "[style] inherits", "nosuchstyle", "looked in", NULL);
    expect_error(f, "e15.style", "[style]\ninherits=missing/file.style\n",
                 "e15.style:2:", "inherits", "missing/file.style", NULL);
    expect_error(f, "e16.style", "[body]\nno equals sign here\n",
                 "e16.style:2:", "key-file syntax error", NULL);
    expect_error(f, "e17.style", "[header]\nleft={page} {chapter}\n",
                 "e17.style:2:", "[header] left", "{chapter}", NULL);
    expect_error(f, "e18.style", "[reading]\ndetect=foo(\n",
                 "e18.style:2:", "[reading] detect", "regular expression", NULL);
    expect_error(f, "e19.style", "[reading]\nbreadcrumb=Home > .+\n",
                 "e19.style:2:", "breadcrumb", "section", NULL);
    expect_error(f, "e20.style", "[body]\ncolor=red\n", "e20.style:2:", "[body] color", NULL);
    expect_error(f, "e21.style", "[document]\nwidows=0\n", "e21.style:2:", "widows", NULL);
    expect_error(f, "e22.style", "[body]\nline-height=0\n", "e22.style:2:", "line-height", NULL);
    expect_error(f, "e23.style", "[page]\nsize=Tabloid\n", "e23.style:2:", "[page] size", NULL);
    expect_error(f, "e24.style", "[document]\nlang=english language\n",
                 "e24.style:2:", "lang", "BCP 47", NULL);
    expect_error(f, "e25.style", "[document]\nmasthead=yes please\n",
                 "e25.style:2:", "masthead", NULL);
    expect_error(f, "e26.style", "[reading]\nchrome=ok;bad[\n",
                 "e26.style:2:", "chrome", "bad[", NULL);
    expect_error(f, "e27.style", "[footer]\nright=C:\\path\n",
                 "e27.style:2:", "[footer] right", "escape", NULL);
    expect_error(f, "e28.style", "[page]\nsize=10mmx200mm\n", "e28.style:2:", "size", NULL);
    expect_error(f, "e29.style", "[notice]\nplacement=sometimes\n",
                 "e29.style:2:", "placement", "every-page", NULL);
    /* a parent's error names the parent's file and line */
    g_free(write_style(f, "badparent.style", "[body]\n\n\nfont-size=huge\n"));
    expect_error(f, "e30.style", "[style]\ninherits=badparent\n",
                 "badparent.style:4:", "font-size", NULL);
}

static void test_errors_loop(Fixture *f, gconstpointer data)
{
    (void)data;
    g_free(write_style(f, "loopa.style", "[style]\ninherits=loopb\n"));
    g_free(write_style(f, "loopb.style", "# b\n[style]\ninherits=loopc.style\n"));
    g_free(write_style(f, "loopc.style", "[style]\ninherits=loopa\n"));
    char *msg = load_fail(f, "loopa", NULL);
    g_assert_nonnull(strstr(msg, "loopc.style:2:"));
    g_assert_nonnull(strstr(msg, "inheritance loop"));
    g_assert_nonnull(strstr(msg, "loopa.style -> "));
    g_assert_nonnull(strstr(msg, "loopb.style -> "));
    g_free(msg);
    g_free(write_style(f, "self.style", "[style]\ninherits=self\n"));
    msg = load_fail(f, "self", NULL);
    g_assert_nonnull(strstr(msg, "inheritance loop"));
    g_free(msg);
}

static void test_errors_not_found(Fixture *f, gconstpointer data)
{
    (void)data;
    char *msg = load_fail(f, "nosuch", NULL);
    g_assert_nonnull(strstr(msg, "'nosuch' not found"));
    g_assert_nonnull(strstr(msg, f->tmp));
    g_assert_nonnull(strstr(msg, f->shipped));
    g_free(msg);
    msg = load_fail(f, "/nonexistent/dir/x.style", NULL);
    g_assert_nonnull(strstr(msg, "/nonexistent/dir/x.style"));
    g_free(msg);
}

static void test_errors_override(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_override_error(f, "nogroup.key=1", "--set nogroup.key", "unknown group");
    expect_override_error(f, "body.fontsize=1pt", "--set body.fontsize", "font-size");
    expect_override_error(f, "body.font-size=0", "--set body.font-size", "more than 0pt");
    expect_override_error(f, "page.margin-top=1", "--set page.margin-top", "unit");
    expect_override_error(f, "page.margin-left=300mm", "--set page.margin-left", "text area");
    expect_override_error(f, "style.inherits=letter", "--set style.inherits", NULL);
    expect_override_error(f, "body-font-size", "--set 'body-font-size'", "group.key=value");
    expect_override_error(f, "body=1", "--set 'body=1'", "group.key=value");
    expect_override_error(f, "footer.left={nope}", "--set footer.left", "{nope}");
}

/* ================================================================ dump */

static void assert_same_role(const ImpRoleStyle *a, const ImpRoleStyle *b)
{
    for (int i = 0; i < IMP_N_SCRIPTS; i++)
        g_assert_cmpstr(a->family[i], ==, b->family[i]);
    g_assert_cmpfloat(a->size, ==, b->size);
    g_assert_cmpint(a->weight, ==, b->weight);
    g_assert_cmpint(a->italic, ==, b->italic);
    g_assert_cmphex(a->color, ==, b->color);
    g_assert_cmpfloat(a->leading, ==, b->leading);
    g_assert_cmpfloat(a->space_before, ==, b->space_before);
    g_assert_cmpfloat(a->space_after, ==, b->space_after);
    g_assert_cmpfloat(a->indent, ==, b->indent);
    g_assert_cmpint(a->align, ==, b->align);
    g_assert_cmpint(a->hyphenate, ==, b->hyphenate);
}

static void assert_same_running(const ImpRunningStyle *a, const ImpRunningStyle *b)
{
    for (int i = 0; i < IMP_N_SLOTS; i++) {
        g_assert_cmpstr(a->slot[i], ==, b->slot[i]);
        g_assert_cmpstr(a->first_slot[i], ==, b->first_slot[i]);
    }
    g_assert_cmpfloat(a->rule.thickness, ==, b->rule.thickness);
    g_assert_cmphex(a->rule.color, ==, b->rule.color);
}

static void assert_same_regex(const GRegex *a, const GRegex *b)
{
    g_assert_true((a == NULL) == (b == NULL));
    if (a != NULL)
        g_assert_cmpstr(g_regex_get_pattern(a), ==, g_regex_get_pattern(b));
}

static void assert_same_style(const ImpStyle *a, const ImpStyle *b)
{
    g_assert_cmpstr(imp_style_get_name(a), ==, imp_style_get_name(b));
    g_assert_cmpstr(imp_style_get_description(a), ==, imp_style_get_description(b));
    g_assert_cmpmem(imp_style_get_page(a), sizeof(ImpPageStyle), imp_style_get_page(b),
                    sizeof(ImpPageStyle));
    for (int r = 0; r < IMP_N_ROLES; r++)
        assert_same_role(imp_style_get_role(a, (ImpRole)r), imp_style_get_role(b, (ImpRole)r));
    assert_same_running(imp_style_get_header(a), imp_style_get_header(b));
    assert_same_running(imp_style_get_footer(a), imp_style_get_footer(b));
    const ImpDocumentStyle *da = imp_style_get_document(a), *db = imp_style_get_document(b);
    g_assert_cmpstr(da->language, ==, db->language);
    g_assert_cmpstr(da->han_language, ==, db->han_language);
    g_assert_cmpstr(da->kana_language, ==, db->kana_language);
    g_assert_cmpstr(da->hangul_language, ==, db->hangul_language);
    g_assert_cmpint(da->line_breaking, ==, db->line_breaking);
    g_assert_cmpint(da->widows, ==, db->widows);
    g_assert_cmpint(da->orphans, ==, db->orphans);
    g_assert_cmpfloat(da->max_stretch, ==, db->max_stretch);
    g_assert_cmpfloat(da->han_latin_gap, ==, db->han_latin_gap);
    g_assert_cmpint(da->notice_placement, ==, db->notice_placement);
    g_assert_cmpfloat(da->notice_rule.thickness, ==, db->notice_rule.thickness);
    g_assert_cmphex(da->notice_rule.color, ==, db->notice_rule.color);
    g_assert_cmpint(da->masthead, ==, db->masthead);
    const ImpReadRules *ra = imp_style_get_read_rules(a), *rb = imp_style_get_read_rules(b);
    assert_same_regex(ra->detect, rb->detect);
    assert_same_regex(ra->masthead, rb->masthead);
    assert_same_regex(ra->breadcrumb, rb->breadcrumb);
    assert_same_regex(ra->notice_start, rb->notice_start);
    gsize i = 0;
    for (; ra->chrome[i] != NULL; i++)
        assert_same_regex(ra->chrome[i], rb->chrome[i]);
    g_assert_null(rb->chrome[i]);
    g_assert_cmpstr(ra->site, ==, rb->site);
    g_assert_cmpstr(ra->source, ==, rb->source);
}

static void test_dump(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *names[] = { "default", "letter", "archival", "mofcom", "units" };
    g_free(write_style(f, "units.style",
                       "[style]\ninherits=letter\n[page]\nsize=150mmx200mm\n"
                       "orientation=landscape\nmargin-left=0.3in\n"
                       "[body]\ntext-indent=1.5em\nline-height=13.5pt\n"
                       "[footer]\nleft=\\s{page}\\\\{{x}}\n"));
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *overrides[] = { "h3.font-size=0.15in", NULL };
        ImpStyle *a = load_ok(f, names[i], overrides);
        char *dump = imp_style_dump(a);
        g_assert_null(strstr(dump, "inherits"));
        g_assert_nonnull(strstr(dump, "[style]"));
        g_assert_nonnull(strstr(dump, "[reading]"));
        g_assert_nonnull(strstr(dump, "first-left="));
        char *file = g_strdup_printf("dump-%s.style", names[i]);
        char *path = write_style(f, file, dump);
        ImpStyle *b = load_ok(f, path, NULL);
        assert_same_style(a, b);
        char *dump2 = imp_style_dump(b);
        g_assert_cmpstr(dump, ==, dump2);
        g_free(dump2);
        imp_style_free(b);
        g_free(path);
        g_free(file);
        g_free(dump);
        imp_style_free(a);
    }
}

static void test_dump_complete(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "default", NULL);
    char *dump = imp_style_dump(s);
    GKeyFile *kf = g_key_file_new();
    GError *error = NULL;
    g_key_file_load_from_data(kf, dump, (gsize)-1, G_KEY_FILE_NONE, &error);
    g_assert_no_error(error);
    gsize n = 0;
    char **groups = g_key_file_get_groups(kf, &n);
    /* style, page, document, the roles, headings, link, reading, html */
    g_assert_cmpuint(n, ==, 7 + IMP_N_ROLES);
    g_assert_cmpstr(groups[0], ==, "style");
    g_assert_cmpstr(groups[3], ==, imp_role_name(IMP_ROLE_BODY));
    g_assert_cmpstr(groups[n - 1], ==, "html");
    g_strfreev(groups);
    char **keys = g_key_file_get_keys(kf, "body", &n, NULL);
    g_assert_cmpuint(n, ==, 16);
    g_strfreev(keys);
    keys = g_key_file_get_keys(kf, "header", &n, NULL);
    g_assert_cmpuint(n, ==, 16 + 8);
    g_strfreev(keys);
    char *v = g_key_file_get_value(kf, "page", "margin-left", NULL);
    g_assert_cmpstr(v, ==, "38mm");
    g_free(v);
    v = g_key_file_get_value(kf, "footer", "first-right", NULL);
    g_assert_cmpstr(v, ==, "Page {page} of {pages}");
    g_free(v);
    g_key_file_free(kf);
    g_free(dump);
    imp_style_free(s);
}

/* ================================================================ detect, list, names */

static void test_detect(Fixture *f, gconstpointer data)
{
    (void)data;
    char *path = g_build_filename(source_dir(), "examples", "speech.txt", NULL);
    char *text = NULL;
    gsize len = 0;
    GError *error = NULL;
    g_file_get_contents(path, &text, &len, &error);
    g_assert_no_error(error);
    const char *shipped[] = { f->shipped, NULL };
    char *name = imp_style_detect(text, len, shipped, NULL);
    g_assert_cmpstr(name, ==, "mofcom");
    g_free(name);

    const char *plain = "A plain letter.\n\nDear reader, MOFCOM is mentioned here | once.\n";
    name = imp_style_detect(plain, strlen(plain), shipped, NULL);
    g_assert_null(name);
    name = imp_style_detect("", 0, shipped, NULL);
    g_assert_null(name);

    /* a broken style in an earlier dir is skipped; the masthead with padding matches */
    g_free(write_style(f, "aaa.style", "[reading]\ndetect=(\n"));
    const char *padded = "\xEF\xBB\xBF  MOFCOM | 简体中文版\r\nHome> News\r\n";
    name = imp_style_detect(padded, strlen(padded), f->dirs, NULL);
    g_assert_cmpstr(name, ==, "mofcom");
    g_free(name);

    /* a style whose rule matches but which does not load (a bad value elsewhere, a missing
       parent) is skipped too; a child that switches the inherited rule off is not chosen */
    g_free(write_style(f, "aab.style", "[reading]\ndetect=MOFCOM.*\n[body]\nfont-size=huge\n"));
    g_free(write_style(f, "aac.style", "[style]\ninherits=nowhere\n[reading]\ndetect=MOFCOM.*\n"));
    g_free(write_style(f, "aad.style", "[style]\ninherits=mofcom\n[reading]\ndetect=\n"));
    name = imp_style_detect(padded, strlen(padded), f->dirs, NULL);
    g_assert_cmpstr(name, ==, "mofcom");
    g_free(name);
    /* a child inherits its parent's rule; a parent's rule a child replaces does not count */
    g_free(write_style(f, "aae.style", "[style]\ninherits=mofcom\n[reading]\ndetect=Nothing\n"));
    g_free(write_style(f, "aaf.style", "[style]\ninherits=mofcom\n"));
    name = imp_style_detect(padded, strlen(padded), f->dirs, NULL);
    g_assert_cmpstr(name, ==, "aaf");
    g_free(name);

    /* only the first 64 KiB count */
    GString *big = g_string_new(NULL);
    while (big->len < 70 * 1024)
        g_string_append(big, "filler line\n");
    g_string_append(big, "MOFCOM | 简体中文版\n");
    name = imp_style_detect(big->str, big->len, shipped, NULL);
    g_assert_null(name);
    g_string_free(big, TRUE);
    g_free(text);
    g_free(path);
}

static void test_list(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *shipped[] = { f->shipped, NULL };
    char **list = imp_style_list(shipped);
    g_assert_cmpuint(g_strv_length(list), ==, 4);
    g_assert_true(g_str_has_prefix(list[0], "archival\t"));
    g_assert_true(g_str_has_prefix(list[1], "default\t"));
    g_assert_true(g_str_has_prefix(list[2], "letter\t"));
    g_assert_true(g_str_has_prefix(list[3], "mofcom\t"));
    for (int i = 0; i < 4; i++) {
        g_assert_null(strchr(list[i], '\n'));
        g_assert_cmpuint(strlen(strchr(list[i], '\t')), >, 10);
    }
    g_strfreev(list);

    /* first dir wins for a name; a broken style is listed with its problem */
    g_free(write_style(f, "default.style", "[style]\ndescription=My own default\n"));
    g_free(write_style(f, "broken.style", "[body]\nfont-size=0\n"));
    list = imp_style_list(f->dirs);
    g_assert_cmpuint(g_strv_length(list), ==, 5);
    g_assert_true(g_str_has_prefix(list[1], "broken\t"));
    g_assert_nonnull(strstr(list[1], "font-size"));
    g_assert_cmpstr(list[2], ==, "default\tMy own default");
    g_strfreev(list);
}

static void test_role_names(void)
{
    static const char *const names[IMP_N_ROLES] = {
        "body", "title", "subtitle", "h1", "h2", "h3", "h4", "h5", "h6", "quote", "list",
        "term", "code", "table", "table-header", "caption", "header", "footer", "notice",
        "masthead"
    };
    for (int r = 0; r < IMP_N_ROLES; r++)
        g_assert_cmpstr(imp_role_name((ImpRole)r), ==, names[r]);
}


/* ================================================================ defaults and docs */

/* Loads `text` written as tmp/NAME (transfer full). */
static ImpStyle *load_text(Fixture *f, const char *name, const char *text,
                           const char *const *overrides)
{
    char *path = write_style(f, name, text);
    ImpStyle *s = load_ok(f, path, overrides);
    g_free(path);
    return s;
}

/* The dump without its first comment line, which names the style. (transfer full) */
static char *dump_body(const ImpStyle *s)
{
    char *dump = imp_style_dump(s);
    char *body = g_strdup(strchr(dump, '\n') + 1);
    g_free(dump);
    return body;
}

static void assert_same_new_keys(const ImpStyle *a, const ImpStyle *b)
{
    const ImpCodeStyle *ca = imp_style_get_code(a), *cb = imp_style_get_code(b);
    g_assert_cmpint(ca->tab_width, ==, cb->tab_width);
    g_assert_cmpstr(ca->wrap_mark, ==, cb->wrap_mark);
    g_assert_cmpfloat(ca->wrap_indent, ==, cb->wrap_indent);
    g_assert_cmpfloat(ca->inline_size, ==, cb->inline_size);
    g_assert_cmpint(ca->has_background, ==, cb->has_background);
    g_assert_cmphex(ca->background, ==, cb->background);
    g_assert_cmpfloat(ca->rule.thickness, ==, cb->rule.thickness);
    g_assert_cmphex(ca->rule.color, ==, cb->rule.color);
    g_assert_cmpfloat(ca->padding, ==, cb->padding);
    const ImpListStyle *la = imp_style_get_list(a), *lb = imp_style_get_list(b);
    g_assert_cmpfloat(la->indent, ==, lb->indent);
    g_assert_true(g_strv_equal((const char *const *)la->bullets,
                               (const char *const *)lb->bullets));
    g_assert_cmpmem(imp_style_get_table(a), sizeof(ImpTableStyle), imp_style_get_table(b),
                    sizeof(ImpTableStyle));
    g_assert_cmpmem(imp_style_get_headings(a), sizeof(ImpHeadingsStyle),
                    imp_style_get_headings(b), sizeof(ImpHeadingsStyle));
    g_assert_cmpmem(imp_style_get_link(a), sizeof(ImpLinkStyle), imp_style_get_link(b),
                    sizeof(ImpLinkStyle));
    const ImpReadRules *ra = imp_style_get_read_rules(a), *rb = imp_style_get_read_rules(b);
    g_assert_cmpint(ra->signals_off, ==, rb->signals_off);
    g_assert_cmpstr(ra->html_content, ==, rb->html_content);
    g_assert_cmpstr(ra->html_title, ==, rb->html_title);
    g_assert_true((ra->html_drop == NULL) == (rb->html_drop == NULL));
}

/* (a) The built-in defaults are default.style: a sheet that says nothing but the name and
 * description resolves exactly as default.style does, in every language. */
static void test_defaults_are_default_style(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *def = load_ok(f, "default", NULL);
    char *text = g_strdup_printf("[style]\nname=default\ndescription=%s\n",
                                 imp_style_get_description(def));
    ImpStyle *empty = load_text(f, "empty.style", text, NULL);
    static const char *const langs[] = { NULL, "en", "ja", "ko", "zh-Hans", "zh-TW", "fr" };
    for (gsize i = 0; i < G_N_ELEMENTS(langs); i++) {
        GError *error = NULL;
        g_assert_true(imp_style_set_language(def, langs[i], &error));
        g_assert_true(imp_style_set_language(empty, langs[i], &error));
        g_assert_no_error(error);
        assert_same_style(def, empty);
        assert_same_new_keys(def, empty);
        for (int r = 0; r < IMP_N_ROLES; r++)
            for (int sc = 0; sc < IMP_N_SCRIPTS; sc++)
                g_assert_cmpstr(imp_style_get_role(def, (ImpRole)r)->family_chain[sc], ==,
                                imp_style_get_role(empty, (ImpRole)r)->family_chain[sc]);
    }
    char *a = dump_body(def), *b = dump_body(empty);
    g_assert_cmpstr(a, ==, b);
    g_free(a);
    g_free(b);
    /* and default.style sets the keys it says it sets: every key but the footer's
       first-page slots, the site rules and [html] (a dump of the file alone, without the
       defaults behind it, would otherwise differ) */
    char *path = g_build_filename(f->shipped, "default.style", NULL);
    char *content = NULL;
    g_file_get_contents(path, &content, NULL, NULL);
    g_assert_nonnull(content);
    g_assert_nonnull(strstr(content, "\n[h6]\n"));
    g_assert_nonnull(strstr(content, "\nkeep-with-next=2\n"));
    g_free(content);
    g_free(path);
    g_free(text);
    imp_style_free(empty);
    imp_style_free(def);
}

/* The lines of docs/styles.md, split into sections at each heading. */
typedef struct {
    char *heading;
    GPtrArray *lines;
} DocSection;

static void doc_section_free(gpointer data)
{
    DocSection *d = data;
    g_free(d->heading);
    g_ptr_array_free(d->lines, TRUE);
    g_free(d);
}

/* Whether a section documents `key` in a table row "| `key`". */
static gboolean section_has_key(const DocSection *d, const char *key)
{
    char *cell = g_strdup_printf("| `%s`", key);
    gboolean found = FALSE;
    for (guint i = 0; i < d->lines->len && !found; i++)
        found = g_str_has_prefix(d->lines->pdata[i], cell);
    g_free(cell);
    return found;
}

/* (b) docs/styles.md documents every group and key of the schema, each key in a table row
 * of a section whose heading names its group ("Role groups" for the keys of every role);
 * the test lists every key that is not. */
static void test_docs_document_every_key(Fixture *f, gconstpointer data)
{
    (void)data;
    char *path = g_build_filename(source_dir(), "docs", "styles.md", NULL);
    char *text = NULL;
    GError *error = NULL;
    g_file_get_contents(path, &text, NULL, &error);
    g_assert_no_error(error);
    GPtrArray *sections = g_ptr_array_new_with_free_func(doc_section_free);
    char **lines = g_strsplit(text, "\n", -1);
    DocSection *cur = NULL;
    gboolean fenced = FALSE;
    for (char **l = lines; *l != NULL; l++) {
        if (g_str_has_prefix(*l, "```"))
            fenced = !fenced;
        if (**l == '#' && !fenced) {
            cur = g_new0(DocSection, 1);
            cur->heading = g_strdup(*l);
            cur->lines = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(sections, cur);
        } else if (cur != NULL) {
            g_ptr_array_add(cur->lines, g_strdup(*l));
        }
    }
    /* a style that inherits nothing has every key: its dump lists them all */
    ImpStyle *s = load_text(f, "all.style", "[style]\nname=all\n", NULL);
    char *dump = imp_style_dump(s);
    GKeyFile *kf = g_key_file_new();
    g_key_file_load_from_data(kf, dump, (gsize)-1, G_KEY_FILE_NONE, &error);
    g_assert_no_error(error);
    GString *missing = g_string_new(NULL);
    gsize n_groups = 0;
    char **groups = g_key_file_get_groups(kf, &n_groups);
    for (gsize g = 0; g < n_groups; g++) {
        char *tag = g_strdup_printf("`[%s]`", groups[g]);
        gboolean is_role = FALSE;
        for (int r = 0; r < IMP_N_ROLES; r++)
            is_role = is_role || strcmp(imp_role_name((ImpRole)r), groups[g]) == 0;
        if (strstr(text, tag) == NULL)
            g_string_append_printf(missing, " group [%s];", groups[g]);
        char **keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
        for (char **k = keys; *k != NULL; k++) {
            if (strchr(*k, '[') != NULL)
                continue; /* a localized value */
            gboolean found = FALSE;
            for (guint i = 0; i < sections->len && !found; i++) {
                const DocSection *d = sections->pdata[i];
                gboolean mine = strstr(d->heading, tag) != NULL ||
                                (is_role && strstr(d->heading, "Role groups") != NULL);
                found = mine && section_has_key(d, *k);
            }
            if (!found)
                g_string_append_printf(missing, " [%s] %s;", groups[g], *k);
        }
        g_strfreev(keys);
        g_free(tag);
    }
    if (missing->len > 0)
        g_error("docs/styles.md does not document:%s", missing->str);
    g_string_free(missing, TRUE);
    g_strfreev(groups);
    g_key_file_free(kf);
    g_free(dump);
    imp_style_free(s);
    g_strfreev(lines);
    g_ptr_array_free(sections, TRUE);
    g_free(text);
    g_free(path);
}

/* ================================================================ hostile sheets */

static void test_bom(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_text(f, "bom.style",
                            "\xEF\xBB\xBF# saved by an editor that writes a BOM\n[style]\n"
                            "inherits=default\n[body]\nfont-size=11pt\n", NULL);
    assert_pt(imp_style_get_role(s, IMP_ROLE_BODY)->size, 11);
    imp_style_free(s);
    /* only at the start: elsewhere it is a character of a line */
    expect_error(f, "bom2.style", "[body]\n\xEF\xBB\xBF" "font-size=11pt\n",
                 "bom2.style:2:", "[body]", "unknown key", NULL);
}

static void test_duplicates(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_error(f, "dk.style", "[body]\nfont-size=10pt\ncolor=#000000\nfont-size=11pt\n",
                 "dk.style:4: [body] font-size: set twice in one file (first at line 2)",
                 NULL);
    expect_error(f, "dg.style", "[body]\nfont-size=10pt\n[page]\nsize=A4\n\n[body]\ncolor=#000\n",
                 "dg.style:6: group [body] appears twice in one file (first at line 1)",
                 NULL);
    /* the same key in two groups is two keys; a key and its localized value are two */
    ImpStyle *s = load_text(f, "ok.style",
                            "[h1]\ncolor=#111111\n[h2]\ncolor=#222222\n"
                            "[footer]\nright=P\nright[ja]=J\n", NULL);
    imp_style_free(s);
    /* two spellings of one tag are one tag */
    expect_error(f, "dt.style", "[footer]\nright[zh-TW]=a\nright[ZH-hant-tw]=b\n",
                 "dt.style:3: [footer] right[zh-Hant-TW]: set twice in one file "
                 "(first at line 2)", NULL);
}

static void test_bad_tags(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_error(f, "t1.style", "[footer]\nright[!!]=x\n",
                 "t1.style:2: [footer] right[!!]: '!!' is not a BCP 47 language tag", NULL);
    expect_error(f, "t2.style", "[footer]\nright[de_DE]=x\n",
                 "t2.style:2:", "'de_DE' is not a BCP 47 language tag", "write de-DE", NULL);
    expect_error(f, "t3.style", "[footer]\nright[]=x\n", "t3.style:2:", "key[TAG]", NULL);
    expect_error(f, "t4.style", "[footer]\nright[ja]x=x\n", "t4.style:2:", "key[TAG]", NULL);
    expect_error(f, "t5.style", "[style]\ninherits[ja]=letter\n",
                 "t5.style:2:", "cannot be localized", NULL);
    expect_error(f, "t6.style", "[document]\nlang[ja]=ja\n",
                 "t6.style:2:", "[document] lang cannot be localized", NULL);
    expect_error(f, "t7.style", "[body]\nfont-size[ja]=huge\n",
                 "t7.style:2: [body] font-size[ja]: 'huge' is not a length", NULL);
    expect_error(f, "t8.style", "[body]\nno-such-key[ja]=1\n",
                 "t8.style:2: [body] no-such-key: unknown key", NULL);
    expect_override_error(f, "footer.right[x_y]=1", "--set footer.right[x_y]", "BCP 47");
    expect_override_error(f, "body.font-size[ja]=0", "--set body.font-size[ja]", "too small");
}

/* A file that is not a style sheet is refused without a word of its content. */
static void test_not_a_style_sheet(Fixture *f, gconstpointer data)
{
    (void)data;
    static const char *const files[] = {
        "root:x:0:0:SECRET-ONE:/root:/bin/bash\ndaemon:x:1:1::/:/sbin/nologin\n",
        "PRETTY_NAME=\"SECRET-ONE\"\nNAME=\"Debian\"\n",
        "# a comment is fine\n\n[SECRET-ONE]\nkey=SECRET-TWO\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-ONE\n",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        char *name = g_strdup_printf("secret%" G_GSIZE_FORMAT ".style", i);
        char *path = write_style(f, name, files[i]);
        char *msg = load_fail(f, path, NULL);
        g_assert_nonnull(strstr(msg, "not a style sheet"));
        g_assert_nonnull(strstr(msg, path));
        g_assert_null(strstr(msg, "SECRET"));
        g_assert_null(strstr(msg, "root"));
        g_free(msg);
        /* nor through inherits */
        char *child = g_strdup_printf("[style]\ninherits=%s\n", path);
        char *cpath = write_style(f, "child.style", child);
        msg = load_fail(f, cpath, NULL);
        g_assert_nonnull(strstr(msg, "not a style sheet"));
        g_assert_null(strstr(msg, "SECRET"));
        g_free(msg);
        g_free(cpath);
        g_free(child);
        g_free(path);
        g_free(name);
    }
    /* an empty file, or one of comments, is an empty style sheet: the default style */
    ImpStyle *empty = load_text(f, "empty.style", "\n# nothing to say\n\n", NULL);
    assert_pt(imp_style_get_page(empty)->margin_left, 38 * MM);
    imp_style_free(empty);
    /* once a known group has shown it to be a style sheet, a bad line is a syntax error
       (still not quoted) and a typo of a group is named with a suggestion */
    expect_error(f, "junk.style", "[style]\nname=x\nSECRET junk\n",
                 "junk.style:3: key-file syntax error", NULL);
    expect_error(f, "typo.style", "[bdoy]\nfont-size=1pt\n",
                 "typo.style:1: unknown group [bdoy] (did you mean [body]?)", NULL);
}

/* ================================================================ regex budgets */

typedef struct {
    GString *log;   /* "LEVEL FILE:LINE MESSAGE\n" */
} DiagLog;

static void log_diag(ImpDiagLevel level, const char *file, guint line, const char *message,
                     gpointer user_data)
{
    DiagLog *d = user_data;
    g_string_append_printf(d->log, "%s %s:%u %s\n", level == IMP_DIAG_WARNING ? "W" : "I",
                           file ? file : "-", line, message);
}

/* A line of `n` a's and a '!': (a|aa)+ backtracks without end on it. */
static char *a_line(gsize n)
{
    char *s = g_malloc(n + 2);
    memset(s, 'a', n);
    s[n] = '!';
    s[n + 1] = '\0';
    return s;
}

static void test_regex_budget(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_text(f, "rx.style",
                            "[style]\ninherits=default\n[reading]\n"
                            "masthead=(?<site>Site) \\| (?<extra>.*)\n"
                            "chrome=(a|aa)+;.*the.*and.*\n"
                            "notice-start=(?i).*(share|print|e-?mail|comment).*\n", NULL);
    const ImpReadRules *rd = imp_style_get_read_rules(s);
    GError *error = NULL;
    /* the GRegex handed out carries a match limit of its own, and PCRE2 honours it */
    g_assert_true(g_str_has_prefix(g_regex_get_pattern(rd->chrome[0]), "(*LIMIT_MATCH="));
    char *line = a_line(40);
    g_assert_false(g_regex_match_full(rd->chrome[0], line, -1, 0, 0, NULL, &error));
    g_assert_error(error, G_REGEX_ERROR, G_REGEX_ERROR_MATCH);
    g_clear_error(&error);
    /* matched through the style, a rule gives up within its budget of steps */
    g_assert_false(imp_read_rules_match(rd, rd->chrome[0], line, strlen(line), NULL, &error));
    g_assert_error(error, G_REGEX_ERROR, G_REGEX_ERROR_MATCH);
    g_assert_nonnull(strstr(error->message, "steps on a line of 41 bytes"));
    g_clear_error(&error);
    g_free(line);
    /* ordinary rules on long lines stay well inside theirs */
    GString *prose = g_string_new(NULL);
    while (prose->len < 990)
        g_string_append(prose, "the quick brown fox and the lazy dog ");
    g_assert_true(imp_read_rules_match(rd, rd->chrome[1], prose->str, prose->len, NULL, &error));
    g_assert_no_error(error);
    g_assert_false(imp_read_rules_match(rd, rd->notice_start, prose->str, prose->len, NULL,
                                        &error));
    g_assert_no_error(error);
    g_string_append(prose, " print");
    g_assert_true(imp_read_rules_match(rd, rd->notice_start, prose->str, prose->len, NULL,
                                       &error));
    g_assert_no_error(error);
    g_string_free(prose, TRUE);
    /* named groups come back as from g_regex_match_full */
    GMatchInfo *info = NULL;
    const char *mast = "Site | 简体中文版";
    g_assert_true(imp_read_rules_match(rd, rd->masthead, mast, strlen(mast), &info, &error));
    char *extra = g_match_info_fetch_named(info, "extra");
    g_assert_cmpstr(extra, ==, "简体中文版");
    g_free(extra);
    g_match_info_free(info);
    g_assert_false(imp_read_rules_match(rd, rd->masthead, "Other", 5, &info, &error));
    g_assert_null(info);
    /* where each rule comes from */
    const char *key, *pattern, *where;
    imp_read_rules_describe(rd, rd->chrome[1], &key, &pattern, &where);
    g_assert_cmpstr(key, ==, "chrome");
    g_assert_cmpstr(pattern, ==, ".*the.*and.*");
    g_assert_true(g_str_has_suffix(where, "rx.style:5"));
    imp_read_rules_describe(rd, rd->notice_start, &key, NULL, &where);
    g_assert_cmpstr(key, ==, "notice-start");
    g_assert_true(g_str_has_suffix(where, "rx.style:6"));
    imp_style_free(s);

    const char *set[] = { "reading.chrome=x(a|aa)+", NULL };
    s = load_ok(f, "default", set);
    rd = imp_style_get_read_rules(s);
    imp_read_rules_describe(rd, rd->chrome[0], NULL, NULL, &where);
    g_assert_cmpstr(where, ==, "--set reading.chrome");
    imp_style_free(s);
}

static void test_regex_limits_in_sheets(Fixture *f, gconstpointer data)
{
    (void)data;
    /* a rule cannot close the wrapping group, nor bring a limit of its own */
    expect_error(f, "r1.style", "[reading]\nchrome=a)|(?:b\n",
                 "r1.style:2:", "not a valid regular expression", NULL);
    expect_error(f, "r2.style", "[reading]\nchrome=(*LIMIT_MATCH=100000000)a\n",
                 "r2.style:2:", "not a valid regular expression", NULL);
    /* a pattern too large to match cheaply */
    expect_error(f, "r3.style", "[reading]\ndetect=(?:a?){200}(?:a?){200}\n",
                 "r3.style:2: [reading] detect:", "too complex", NULL);
    /* at most 8 rules on every line */
    expect_error(f, "r4.style",
                 "[reading]\nchrome=a;b;c;d;e;f;g\nnotice-start=h\n\nnotice-end=i\n",
                 "r4.style:5: [reading] notice-end:", "9 rules are matched on every line",
                 NULL);
}

static void test_detect_bounded(Fixture *f, gconstpointer data)
{
    (void)data;
    /* the case: a detect rule that backtracks without end on every line of the
       input (200 lines: 73 s before); now reported once and skipped */
    g_free(write_style(f, "aaa.style", "[style]\nname=aaa\n[reading]\n# evil\n"
                                       "detect=(a|aa)+\n"));
    GString *input = g_string_new(NULL);
    for (int i = 0; i < 200; i++) {
        char *l = a_line(60);
        g_string_append_printf(input, "%s\n", l);
        g_free(l);
    }
    g_string_append(input, "MOFCOM | 简体中文版\n");
    DiagLog d = { g_string_new(NULL) };
    ImpDiag diag = { log_diag, &d };
    char *name = imp_style_detect(input->str, input->len, f->dirs, &diag);
    g_assert_cmpstr(name, ==, "mofcom");
    g_free(name);
    g_test_message("%s", d.log->str);
    char *expect = g_strdup_printf("W %s/aaa.style:5 [reading] detect rule (a|aa)+ gave up on "
                                   "line 1 of the input", f->tmp);
    g_assert_true(g_str_has_prefix(d.log->str, expect));
    g_assert_nonnull(strstr(d.log->str, "style 'aaa' is not detected"));
    g_assert_cmpuint(g_strv_length(g_strsplit(d.log->str, "\n", -1)), ==, 2); /* once */
    g_free(expect);
    /* without a diag the same, silently */
    name = imp_style_detect(input->str, input->len, f->dirs, NULL);
    g_assert_cmpstr(name, ==, "mofcom");
    g_free(name);
    g_string_free(d.log, TRUE);
    g_string_free(input, TRUE);
}

/* ================================================================ localized values */

static const char *footer_right(const ImpStyle *s)
{
    return imp_style_get_footer(s)->slot[IMP_SLOT_RIGHT];
}

/* Sets the language, which must work. */
static void set_lang(ImpStyle *s, const char *lang)
{
    GError *error = NULL;
    g_assert_true(imp_style_set_language(s, lang, &error));
    g_assert_no_error(error);
}

/* A localized copy leaves the style it came from as it was, and outlives it. */
static void test_language_localize(Fixture *f, gconstpointer data)
{
    (void)data;
    GError *error = NULL;
    ImpStyle *s = load_ok(f, "default", NULL);
    ImpStyle *ja = imp_style_localize(s, "ja", &error);
    g_assert_no_error(error);
    ImpStyle *tw = imp_style_localize(s, "zh-TW", &error);
    g_assert_no_error(error);
    g_assert_null(imp_style_localize(s, "not a tag", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    g_clear_error(&error);
    g_assert_cmpstr(imp_style_get_language(s), ==, "en");
    g_assert_cmpstr(footer_right(s), ==, "Page {page} of {pages}");
    imp_style_free(s); /* the copies share its sheets and keep them */
    g_assert_cmpstr(imp_style_get_language(ja), ==, "ja");
    g_assert_cmpstr(footer_right(ja), ==, "{page} / {pages}");
    g_assert_cmpstr(imp_style_get_language(tw), ==, "zh-Hant-TW");
    g_assert_cmpstr(footer_right(tw), ==, "第 {page} 頁，共 {pages} 頁");
    imp_style_free(ja);
    g_assert_cmpstr(footer_right(tw), ==, "第 {page} 頁，共 {pages} 頁");
    imp_style_free(tw);
}

static void test_language_matching(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "default", NULL);
    g_assert_cmpstr(imp_style_get_language(s), ==, "en"); /* [document] lang */
    g_assert_cmpstr(footer_right(s), ==, "Page {page} of {pages}");
    static const struct {
        const char *lang, *canonical, *right;
    } cases[] = {
        { "zh-Hans", "zh-Hans", "第 {page} 页，共 {pages} 页" },
        { "zh-CN", "zh-Hans-CN", "第 {page} 页，共 {pages} 页" },
        { "zh-SG", "zh-Hans-SG", "第 {page} 页，共 {pages} 页" },
        { "zh-TW", "zh-Hant-TW", "第 {page} 頁，共 {pages} 頁" },
        { "zh-HK", "zh-Hant-HK", "第 {page} 頁，共 {pages} 頁" },
        { "zh-mo", "zh-Hant-MO", "第 {page} 頁，共 {pages} 頁" },
        { "ZH-hant-tw", "zh-Hant-TW", "第 {page} 頁，共 {pages} 頁" },
        { "zh", "zh", "Page {page} of {pages}" },
        { "ja", "ja", "{page} / {pages}" },
        { "ja-JP", "ja-JP", "{page} / {pages}" },
        { "ko-KR", "ko-KR", "{page} / {pages} 페이지" },
        { "en-GB", "en-GB", "Page {page} of {pages}" },
        { "de-x-private", "de-x-private", "Page {page} of {pages}" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        set_lang(s, cases[i].lang);
        g_assert_cmpstr(imp_style_get_language(s), ==, cases[i].canonical);
        g_assert_cmpstr(footer_right(s), ==, cases[i].right);
        /* the first page's slot is unset in default.style: it follows */
        g_assert_cmpstr(imp_style_get_footer(s)->first_slot[IMP_SLOT_RIGHT], ==,
                        cases[i].right);
    }
    set_lang(s, NULL);
    g_assert_null(imp_style_get_language(s));
    g_assert_cmpstr(footer_right(s), ==, "Page {page} of {pages}");
    /* a bad tag is an error and changes nothing */
    set_lang(s, "ja");
    GError *error = NULL;
    g_assert_false(imp_style_set_language(s, "not a tag", &error));
    g_assert_error(error, IMP_ERROR, IMP_ERROR_STYLE);
    g_assert_nonnull(strstr(error->message, "'not a tag' is not a BCP 47 language tag"));
    g_clear_error(&error);
    g_assert_cmpstr(imp_style_get_language(s), ==, "ja");
    g_assert_cmpstr(footer_right(s), ==, "{page} / {pages}");
    imp_style_free(s);

    /* prefixes: the longest tag that matches wins */
    s = load_text(f, "zh.style", "[style]\ninherits=default\n[footer]\nright=P\nright[zh]=Z\n"
                                 "right[zh-Hant]=T\nright[zh-Hant-HK]=H\n", NULL);
    static const char *const want[][2] = {
        { "zh", "Z" }, { "zh-Hans", "Z" }, { "zh-CN", "Z" }, { "zh-Hant", "T" },
        { "zh-TW", "T" }, { "zh-HK", "H" }, { "zh-Hant-HK-x-y", "H" }, { "ja", "P" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
        set_lang(s, want[i][0]);
        g_assert_cmpstr(footer_right(s), ==, want[i][1]);
    }
    imp_style_free(s);
}

static void test_language_inheritance(Fixture *f, gconstpointer data)
{
    (void)data;
    g_free(write_style(f, "lp.style", "[style]\ninherits=default\n[footer]\nright=P\n"
                                      "right[ja]=PJ\nright[ko]=PK\n"));
    /* a child that gives the plain value owns the key: the parent's tags are dropped */
    ImpStyle *s = load_text(f, "lc1.style", "[style]\ninherits=lp\n[footer]\nright=C\n"
                                            "right[ko]=CK\n", NULL);
    set_lang(s, "ja");
    g_assert_cmpstr(footer_right(s), ==, "C");
    set_lang(s, "ko");
    g_assert_cmpstr(footer_right(s), ==, "CK");
    imp_style_free(s);
    /* a child that gives only a tag keeps the rest */
    s = load_text(f, "lc2.style", "[style]\ninherits=lp\n[footer]\nright[ko]=CK\n"
                                  "right[zh-Hans]=CZ\n", NULL);
    set_lang(s, NULL);
    g_assert_cmpstr(footer_right(s), ==, "P");
    set_lang(s, "ja");
    g_assert_cmpstr(footer_right(s), ==, "PJ");
    set_lang(s, "ko");
    g_assert_cmpstr(footer_right(s), ==, "CK");
    set_lang(s, "zh-CN");
    g_assert_cmpstr(footer_right(s), ==, "CZ");
    imp_style_free(s);
    /* --set the same way: the plain value clears the tags, a tag adds one */
    const char *plain[] = { "footer.right=S", NULL };
    s = load_ok(f, "lp", plain);
    set_lang(s, "ja");
    g_assert_cmpstr(footer_right(s), ==, "S");
    imp_style_free(s);
    const char *tagged[] = { "footer.right[ja]=SJ", NULL };
    s = load_ok(f, "lp", tagged);
    set_lang(s, "ja");
    g_assert_cmpstr(footer_right(s), ==, "SJ");
    set_lang(s, "ko");
    g_assert_cmpstr(footer_right(s), ==, "PK");
    set_lang(s, NULL);
    g_assert_cmpstr(footer_right(s), ==, "P");
    imp_style_free(s);
    /* mofcom, an English site, says its footer plainly: no Chinese footer for it */
    s = load_ok(f, "mofcom", NULL);
    set_lang(s, "zh-Hans");
    g_assert_cmpstr(footer_right(s), ==, "Page {page} of {pages}");
    imp_style_free(s);
}

static void test_language_any_key(Fixture *f, gconstpointer data)
{
    (void)data;
    /* any key: a measure per language, a body size, a derived colour, a regex */
    ImpStyle *s = load_text(f, "any.style",
                            "[style]\ninherits=default\n"
                            "[page]\nmargin-left[en]=40mm\nmargin-right[en]=40mm\n"
                            "[body]\nfont-size[ja]=10pt\ncolor[ko]=#112233\n"
                            "[reading]\nchrome[ja]=Foo.*\n", NULL);
    assert_pt(imp_style_get_page(s)->margin_left, 40 * MM); /* loaded for lang=en */
    set_lang(s, "ja");
    assert_pt(imp_style_get_page(s)->margin_left, 22 * MM);
    assert_pt(imp_style_get_role(s, IMP_ROLE_BODY)->size, 10);
    g_assert_nonnull(imp_style_get_read_rules(s)->chrome[0]);
    set_lang(s, "ko");
    g_assert_null(imp_style_get_read_rules(s)->chrome[0]);
    g_assert_cmphex(imp_style_get_role(s, IMP_ROLE_BODY)->color, ==, 0x112233);
    imp_style_free(s);
    /* in a style that inherits nothing, an unset colour derives from [body]'s, in each
       language */
    s = load_text(f, "derive.style", "[body]\ncolor=#000000\ncolor[ko]=#112233\n", NULL);
    g_assert_cmphex(imp_style_get_role(s, IMP_ROLE_H1)->color, ==, 0x000000);
    set_lang(s, "ko");
    g_assert_cmphex(imp_style_get_role(s, IMP_ROLE_H1)->color, ==, 0x112233);
    imp_style_free(s);
}

static void test_language_errors_at_load(Fixture *f, gconstpointer data)
{
    (void)data;
    /* a localized value that breaks a combination is found at load, with its line */
    expect_error(f, "lb.style", "[style]\ninherits=default\n[page]\nmargin-left[ja]=100mm\n"
                                "margin-right[ja]=100mm\n",
                 "lb.style:5: [page] margin-right", "text area", NULL);
    expect_error(f, "lb2.style", "[body]\nfont-size[ko]=5pt\nline-height[ko]=100pt\n",
                 "line-height", NULL);
}

static void test_language_dump(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *a = load_text(f, "ld.style",
                            "[style]\ninherits=default\n[footer]\nright[zh]=Z\n"
                            "right[zh-Hant]=Page {page} of {pages}\n"
                            "[body]\nline-height[ko]=20pt\ncolor[ja]=#123456\n", NULL);
    char *dump = imp_style_dump(a);
    g_assert_nonnull(strstr(dump, "\nright[zh]=Z\n"));
    /* needed although it equals the plain value: zh would apply otherwise */
    g_assert_nonnull(strstr(dump, "\nright[zh-Hant]=Page {page} of {pages}\n"));
    g_assert_nonnull(strstr(dump, "\nfirst-right[zh]=Z\n"));
    g_assert_nonnull(strstr(dump, "\ncolor[ja]=#123456\n"));
    char *path = write_style(f, "ld-dump.style", dump);
    ImpStyle *b = load_ok(f, path, NULL);
    static const char *const langs[] = { NULL, "zh", "zh-TW", "zh-CN", "ja", "ko", "en" };
    for (gsize i = 0; i < G_N_ELEMENTS(langs); i++) {
        set_lang(a, langs[i]);
        set_lang(b, langs[i]);
        assert_same_style(a, b);
        assert_same_new_keys(a, b);
    }
    char *dump2 = imp_style_dump(b);
    g_assert_cmpstr(dump, ==, dump2);
    g_free(dump2);
    g_free(dump);
    g_free(path);
    imp_style_free(b);
    imp_style_free(a);
}

/* ================================================================ the structure keys */

static void test_structure_keys(Fixture *f, gconstpointer data)
{
    (void)data;
    ImpStyle *s = load_ok(f, "default", NULL);
    /* every new role has a look, a step below the last */
    static const ImpRole heads[] = { IMP_ROLE_H3, IMP_ROLE_H4, IMP_ROLE_H5, IMP_ROLE_H6 };
    for (gsize i = 1; i < G_N_ELEMENTS(heads); i++) {
        const ImpRoleStyle *a = imp_style_get_role(s, heads[i - 1]), *b = imp_style_get_role(s, heads[i]);
        g_assert_cmpfloat(b->size, <=, a->size);
        g_assert_cmpint(b->weight, ==, 700);
        g_assert_cmpstr(b->family[IMP_SCRIPT_LATIN], ==, "Noto Sans");
        g_assert_cmpint(b->hyphenate, ==, FALSE);
    }
    g_assert_cmpint(imp_style_get_role(s, IMP_ROLE_TERM)->weight, ==, 700);
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_TABLE)->family[IMP_SCRIPT_LATIN], ==,
                    "Noto Serif");
    g_assert_cmpint(imp_style_get_role(s, IMP_ROLE_TABLE_HEADER)->weight, ==, 700);
    g_assert_cmpfloat(imp_style_get_role(s, IMP_ROLE_CAPTION)->size, <,
                      imp_style_get_role(s, IMP_ROLE_BODY)->size);
    /* code in monospace, Latin and CJK */
    const ImpRoleStyle *code = imp_style_get_role(s, IMP_ROLE_CODE);
    g_assert_true(g_str_has_prefix(code->family[IMP_SCRIPT_LATIN], "Noto Sans Mono"));
    g_assert_cmpstr(code->family[IMP_SCRIPT_HAN], ==, "Noto Sans Mono CJK SC");
    g_assert_cmpint(code->align, ==, IMP_ALIGN_LEFT);
    g_assert_false(code->hyphenate);
    const ImpCodeStyle *c = imp_style_get_code(s);
    g_assert_cmpint(c->tab_width, ==, 8);
    g_assert_cmpstr(c->wrap_mark, ==, "↪");
    assert_pt(c->wrap_indent, 18);   /* 2em of 9pt */
    assert_pt(c->inline_size, 0.9);
    g_assert_false(c->has_background);
    assert_pt(c->rule.thickness, 0.5);
    g_assert_cmphex(c->rule.color, ==, 0xb3b3b3);
    assert_pt(c->padding, 8);
    const ImpListStyle *l = imp_style_get_list(s);
    assert_pt(l->indent, 15.75);     /* 1.5em of 10.5pt */
    g_assert_cmpstr(l->bullets[0], ==, "•");
    g_assert_cmpstr(l->bullets[1], ==, "◦");
    g_assert_cmpstr(l->bullets[2], ==, "▪");
    g_assert_null(l->bullets[3]);
    const ImpTableStyle *t = imp_style_get_table(s);
    assert_pt(t->rule.thickness, 0.5);
    assert_pt(t->cell_padding_x, 4.75);   /* 0.5em of 9.5pt */
    assert_pt(t->cell_padding_y, 2.375);
    g_assert_cmpint(imp_style_get_headings(s)->numbering, ==, IMP_NUMBERING_NONE);
    g_assert_cmpint(imp_style_get_headings(s)->keep_with_next, ==, 2);
    g_assert_cmphex(imp_style_get_link(s)->color, ==, 0x1f4e8c);
    g_assert_false(imp_style_get_link(s)->underline);
    const ImpReadRules *rd = imp_style_get_read_rules(s);
    g_assert_cmpint(rd->signals_off, ==, 0);
    g_assert_null(rd->html_content);
    g_assert_null(rd->html_drop);
    imp_style_free(s);

    /* the other shipped styles' choices */
    s = load_ok(f, "letter", NULL);
    g_assert_true(imp_style_get_code(s)->has_background);
    assert_pt(imp_style_get_code(s)->rule.thickness, 0);
    g_assert_cmpstr(imp_style_get_role(s, IMP_ROLE_TABLE)->family[IMP_SCRIPT_LATIN], ==,
                    "Noto Sans");
    g_assert_cmphex(imp_style_get_link(s)->color, ==, 0x1f3a5f);
    imp_style_free(s);
    s = load_ok(f, "archival", NULL);
    g_assert_true(imp_style_get_link(s)->underline);
    imp_style_free(s);

    /* every kind of value, set */
    s = load_text(f, "keys.style",
                  "[style]\ninherits=default\n"
                  "[headings]\nnumbering=decimal\nkeep-with-next=3\n"
                  "[list]\nbullets=–; \\; ;•\nindent=12pt\n"
                  "[code]\nbackground=#eee\nwrap-mark=\ntab-width=4\n"
                  "[reading]\nheadings=false\nurls=false\n"
                  "[html]\ncontent=//div[@id='content']\ntitle=//h1[1]\n"
                  "drop=//nav;//*[contains(@class,'share')];//div[@title='a\\;b']\n", NULL);
    g_assert_cmpint(imp_style_get_headings(s)->numbering, ==, IMP_NUMBERING_DECIMAL);
    g_assert_cmpint(imp_style_get_headings(s)->keep_with_next, ==, 3);
    l = imp_style_get_list(s);
    g_assert_cmpstr(l->bullets[0], ==, "–");
    g_assert_cmpstr(l->bullets[1], ==, ";");
    g_assert_cmpstr(l->bullets[2], ==, "•");
    assert_pt(l->indent, 12);
    c = imp_style_get_code(s);
    g_assert_true(c->has_background);
    g_assert_cmphex(c->background, ==, 0xeeeeee);
    g_assert_cmpstr(c->wrap_mark, ==, "");
    g_assert_cmpint(c->tab_width, ==, 4);
    rd = imp_style_get_read_rules(s);
    g_assert_cmpint(rd->signals_off, ==, IMP_SIGNAL_HEADINGS | IMP_SIGNAL_URLS);
    g_assert_cmpstr(rd->html_content, ==, "//div[@id='content']");
    g_assert_cmpstr(rd->html_title, ==, "//h1[1]");
    g_assert_null(rd->html_date);
    g_assert_cmpstr(rd->html_drop[0], ==, "//nav");
    g_assert_cmpstr(rd->html_drop[2], ==, "//div[@title='a;b']");
    g_assert_null(rd->html_drop[3]);
    imp_style_free(s);
}

static void test_structure_errors(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_error(f, "x1.style", "[html]\n\ncontent=//div[@id='x'\n",
                 "x1.style:3: [html] content:", "not a valid XPath 1.0 expression", NULL);
    expect_error(f, "x2.style", "[html]\ndrop=//nav;//div[[\n",
                 "x2.style:2: [html] drop:", "'//div[['", "XPath", NULL);
    expect_error(f, "x3.style", "[headings]\nnumbering=roman\n",
                 "x3.style:2: [headings] numbering:", "none, decimal", NULL);
    expect_error(f, "x4.style", "[headings]\nkeep-with-next=11\n",
                 "x4.style:2:", "from 0 to 10", NULL);
    expect_error(f, "x5.style", "[code]\ntab-width=0\n", "x5.style:2:", "from 1 to 16", NULL);
    expect_error(f, "x6.style", "[code]\nbackground=grey\n",
                 "x6.style:2:", "or none", NULL);
    expect_error(f, "x7.style", "[list]\nbullets=;;\n", "x7.style:2:", "at least one", NULL);
    expect_error(f, "x8.style", "[reading]\nurls=maybe\n", "x8.style:2:", "boolean", NULL);
    expect_error(f, "x9.style", "[link]\nunderline=yes\n", "x9.style:2:", "boolean", NULL);
    expect_error(f, "x10.style", "[h7]\nfont-size=1pt\n",
                 "x10.style:1: unknown group [h7] (did you mean [h1]?)", NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/style/shipped/default", test_default);
    ADD("/style/shipped/letter", test_letter);
    ADD("/style/shipped/archival", test_archival);
    ADD("/style/shipped/mofcom", test_mofcom);
    ADD("/style/inheritance", test_inheritance);
    ADD("/style/fallbacks", test_fallbacks);
    ADD("/style/overrides", test_overrides);
    ADD("/style/units", test_units);
    ADD("/style/landscape", test_landscape);
    ADD("/style/errors/file", test_errors_file);
    ADD("/style/errors/loop", test_errors_loop);
    ADD("/style/errors/not-found", test_errors_not_found);
    ADD("/style/errors/override", test_errors_override);
    ADD("/style/dump/round-trip", test_dump);
    ADD("/style/dump/complete", test_dump_complete);
    ADD("/style/detect", test_detect);
    ADD("/style/list", test_list);
    ADD("/style/defaults/are-default-style", test_defaults_are_default_style);
    ADD("/style/docs/every-key", test_docs_document_every_key);
    ADD("/style/hostile/bom", test_bom);
    ADD("/style/hostile/duplicates", test_duplicates);
    ADD("/style/hostile/bad-tags", test_bad_tags);
    ADD("/style/hostile/not-a-style-sheet", test_not_a_style_sheet);
    ADD("/style/regex/budget", test_regex_budget);
    ADD("/style/regex/limits-in-sheets", test_regex_limits_in_sheets);
    ADD("/style/regex/detect-bounded", test_detect_bounded);
    ADD("/style/language/localize", test_language_localize);
    ADD("/style/language/matching", test_language_matching);
    ADD("/style/language/inheritance-and-set", test_language_inheritance);
    ADD("/style/language/any-key", test_language_any_key);
    ADD("/style/language/errors-at-load", test_language_errors_at_load);
    ADD("/style/language/dump", test_language_dump);
    ADD("/style/structure/keys", test_structure_keys);
    ADD("/style/structure/errors", test_structure_errors);
#undef ADD
    g_test_add_func("/style/role-names", test_role_names);
    return g_test_run();
}
