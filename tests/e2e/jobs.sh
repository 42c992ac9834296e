# End-to-end: --jobs N (paragraphs shaped and broken on N worker threads) changes nothing
# in the output. The bundled speech and a few hundred KB of mixed English and Chinese
# (built here from the speech and Debian's Chinese manual pages, with characters no font
# shows, so that diagnostics come out) are rendered with --jobs 1, 2 and 3: the PDFs must
# be byte-identical, and the messages identical and in the same (document) order.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"

# render NAME INPUT — NAME-J.pdf and NAME-J.err for J in 1 2 3; checks they agree.
render() {
    for j in 1 2 3; do
        "$IMPRINT" --jobs "$j" "$2" -o "$TMP/$1-$j.pdf" 2>"$TMP/$1-$j.err"
        ok "$1: --jobs $j renders" test -s "$TMP/$1-$j.pdf"
        # on a machine with fewer cores than j, --jobs is capped with a warning
        sed -i '/^imprint: warning: --jobs /d' "$TMP/$1-$j.err"
    done
    for j in 2 3; do
        ok "$1: --jobs $j gives the PDF of --jobs 1, byte for byte" \
            cmp -s "$TMP/$1-1.pdf" "$TMP/$1-$j.pdf"
        ok "$1: --jobs $j gives the messages of --jobs 1, in order" \
            cmp -s "$TMP/$1-1.err" "$TMP/$1-$j.err"
    done
}

render speech "$SPEECH"
eq "speech: no messages" "" "$(cat "$TMP/speech-1.err")"

# The mixed text: the speech's paragraphs, each followed by a stretch of a Chinese manual
# page (roff requests and font escapes stripped), repeated until it is a few hundred KB.
# Private-use characters (U+E000) no font has are sprinkled in, one every 50 lines.
MAN=/usr/share/man/zh_CN/man1
ok "Chinese manual pages are installed (manpages-zh)" test -d "$MAN"
for page in ls cp mv tar grep find sort chmod; do
    [ -f "$MAN/$page.1.gz" ] && zcat "$MAN/$page.1.gz"
done | sed -e "/^[.']/d" -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(..//g' -e 's/\\//g' \
    -e '/^[[:space:]]*$/d' >"$TMP/zh.txt"
awk 'NR % 50 == 0 { $0 = $0 " \xee\x80\x80" } { print }' "$TMP/zh.txt" >"$TMP/zh2.txt"
: >"$TMP/mixed.txt"
i=0
while [ "$(wc -c <"$TMP/mixed.txt")" -lt 300000 ] && [ "$i" -lt 20 ]; do
    awk -v zh="$TMP/zh2.txt" '
        { print; print "" }
        NF > 0 && (getline line < zh) > 0 { print line; print "" }' "$SPEECH" >>"$TMP/mixed.txt"
    cat "$TMP/zh2.txt" >>"$TMP/mixed.txt"
    i=$((i + 1))
done
ok "the mixed text is a few hundred KB" test "$(wc -c <"$TMP/mixed.txt")" -ge 200000
render mixed "$TMP/mixed.txt"
ok "mixed: the private-use characters are reported" grep -q "U+E000" "$TMP/mixed-1.err"
ok "mixed: Han text in a Noto CJK face" \
    sh -c "pdffonts '$TMP/mixed-1.pdf' | grep -Eq '\\+Noto(Sans|Serif)CJK'"

finish
