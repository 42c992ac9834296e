# The speech as a saved page (tests/fixtures/html: a ministry article page as served, with
# masthead, navigation, breadcrumb, comment form, font-size links, footer and scripts, in
# UTF-8 and in GBK): found to be the MOFCOM site's page without --style, read with the
# site style's [html] and [reading] rules, it gives the PDF that examples/speech.txt gives,
# text and bytes alike.
. "$IMP_SOURCE_DIR/tests/lib.sh"
FIX="$IMP_SOURCE_DIR/tests/fixtures/html"
"$IMPRINT" "$IMP_SOURCE_DIR/examples/speech.txt" -o "$TMP/speech.pdf"
pdftotext -enc UTF-8 "$TMP/speech.pdf" "$TMP/speech.txt"
for page in mofcom-speech.html mofcom-speech.gbk.html; do
    st=0
    "$IMPRINT" -v "$FIX/$page" -o "$TMP/$page.pdf" 2>"$TMP/err" || st=$?
    eq "$page: exit status" 0 "$st"
    ok "$page: the site style is found" grep -q '^imprint: style: mofcom ' "$TMP/err"
    pdftotext -enc UTF-8 "$TMP/$page.pdf" "$TMP/$page.txt"
    ok "$page: the PDF text is the clipping's" cmp -s "$TMP/speech.txt" "$TMP/$page.txt"
    ok "$page: the PDF is the clipping's, byte for byte" cmp -s "$TMP/speech.pdf" "$TMP/$page.pdf"
    ok "$page: masthead" grep -q '简体中文版' "$TMP/$page.txt"
    ok "$page: source footer" grep -q 'Source: Ministry of Commerce Website' "$TMP/$page.txt"
    for chrome in 'Release Comment' 'Pen Name' 'Medium-sized' 'All Rights Reserved' 'document.write'; do
        ok "$page: no '$chrome'" sh -c "! grep -q '$chrome' '$TMP/$page.txt'"
    done
done
grep -q 'encoding: GB18030 (declared gb2312)' "$TMP/err" ||
    ok "the GBK page's encoding is said with -v" false
finish
