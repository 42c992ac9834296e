# The speech as a saved page (tests/fixtures/html: a ministry article page as served, with
# masthead, navigation, breadcrumb, comment form, font-size links, footer and scripts, in
# UTF-8 and in GBK): found to be the MOFCOM site's page without --style, read with the
# site style's [html] and [reading] rules, it gives the PDF that examples/speech.txt gives:
# the same text, the same pages pixel for pixel, the same structure tree; the one
# difference is the title's HTML id, which becomes a named destination (for links to it).
. "$IMP_SOURCE_DIR/tests/lib.sh"
FIX="$IMP_SOURCE_DIR/tests/fixtures/html"
"$IMPRINT" "$IMP_SOURCE_DIR/examples/speech.txt" -o "$TMP/speech.pdf"
pdftotext -enc UTF-8 "$TMP/speech.pdf" "$TMP/speech.txt"
pdftoppm -r 50 -png "$TMP/speech.pdf" "$TMP/speech"
"$IMP_SOURCE_DIR/tools/pdf-structure" "$TMP/speech.pdf" >"$TMP/speech.struct"
for page in mofcom-speech.html mofcom-speech.gbk.html; do
    st=0
    "$IMPRINT" -v "$FIX/$page" -o "$TMP/$page.pdf" 2>"$TMP/err" || st=$?
    eq "$page: exit status" 0 "$st"
    ok "$page: the site style is found" grep -q '^imprint: style: mofcom ' "$TMP/err"
    pdftotext -enc UTF-8 "$TMP/$page.pdf" "$TMP/$page.txt"
    ok "$page: the PDF text is the clipping's" cmp -s "$TMP/speech.txt" "$TMP/$page.txt"
    pdftoppm -r 50 -png "$TMP/$page.pdf" "$TMP/$page"
    eq "$page: as many pages as the clipping's" "$(ls "$TMP"/speech-*.png | wc -l)" \
        "$(ls "$TMP/$page"-*.png | wc -l)"
    for png in "$TMP"/speech-*.png; do
        n=${png##*-}
        ok "$page: page ${n%.png} drawn as the clipping's" cmp -s "$png" "$TMP/$page-$n"
    done
    "$IMP_SOURCE_DIR/tools/pdf-structure" "$TMP/$page.pdf" >"$TMP/$page.struct"
    ok "$page: the structure tree is the clipping's" cmp -s "$TMP/speech.struct" "$TMP/$page.struct"
    ok "$page: the title's id is a named destination" \
        sh -c "qpdf --qdf --object-streams=disable '$TMP/$page.pdf' - | grep -aq '/Dests'"
    ok "$page: masthead" grep -q '简体中文版' "$TMP/$page.txt"
    ok "$page: source footer" grep -q 'Source: Ministry of Commerce Website' "$TMP/$page.txt"
    for chrome in 'Release Comment' 'Pen Name' 'Medium-sized' 'All Rights Reserved' 'document.write'; do
        ok "$page: no '$chrome'" sh -c "! grep -q '$chrome' '$TMP/$page.txt'"
    done
done
grep -q 'encoding: GB18030 (declared gb2312)' "$TMP/err" ||
    ok "the GBK page's encoding is said with -v" false
finish
