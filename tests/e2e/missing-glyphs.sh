# End-to-end: characters no installed font covers (private use U+E000, U+E001; checked
# against fonts/fonts.conf by tests/hostile) are reported once each, at their first source
# line, with one summary of further occurrences; the run completes with every character in
# the PDF's text layer, the missing ones too (drawn as the font's .notdef box, not as
# pango_cairo's hex box, whose digits went into the text layer instead of the character),
# and --strict turns the report into exit 1 with no output.
. "$IMP_SOURCE_DIR/tests/lib.sh"
{
    printf 'Title\n\nabc \356\200\200\356\200\200 and \356\200\201\n\n'
    i=0
    while [ $i -lt 200 ]; do printf 'more \356\200\200 here\n'; i=$((i + 1)); done
} >"$TMP/pua.txt"

"$IMPRINT" "$TMP/pua.txt" -o "$TMP/pua.pdf" 2>"$TMP/err"
ok "the run completes" test -s "$TMP/pua.pdf"
ok "qpdf --check passes" qpdf --check "$TMP/pua.pdf" >/dev/null
E0=$(printf '\356\200\200') E1=$(printf '\356\200\201')
eq "each missing character reported once, with a summary" \
"imprint: $TMP/pua.txt:3: warning: no font can show U+E000 '$E0'
imprint: $TMP/pua.txt:3: warning: no font can show U+E001 '$E1'
imprint: $TMP/pua.txt: warning: 201 more occurrences of the 2 characters above that no font can show" \
    "$(cat "$TMP/err")"
ok "the other text is in the PDF" sh -c "pdftotext '$TMP/pua.pdf' - | grep -q 'abc'"

# the missing characters themselves are in the text layer, and no hex digits: with the
# layout's own lines and with Pango's (line-breaking=greedy)
# U+10570, U+10571: Vithkuqi, which no font covers either
V0=$(printf '\360\220\225\260') V1=$(printf '\360\220\225\261')
printf 'Title\n\nabc %s%s%s and %s%s end\n' "$E0" "$E1" "$E0" "$V0" "$V1" >"$TMP/word.txt"
for mode in optimal greedy; do
    "$IMPRINT" -q --set document.line-breaking=$mode "$TMP/word.txt" -o "$TMP/$mode.pdf"
    pdftotext -enc UTF-8 "$TMP/$mode.pdf" "$TMP/$mode.txt"
    ok "$mode: U+E000 U+E001 U+E000 in the text layer" \
        grep -q "$E0.\{0,1\}$E1.\{0,1\}$E0" "$TMP/$mode.txt"
    ok "$mode: U+10570 U+10571 in the text layer" grep -q "$V0.\{0,1\}$V1" "$TMP/$mode.txt"
    ok "$mode: no hex digits of a box in the text layer (got: $(head -c 200 "$TMP/$mode.txt"))" \
        sh -c "! grep -Eq 'E00|0E0|010|570|571' '$TMP/$mode.txt'"
done
# with the layout's own lines the boxes are as wide as they are drawn: one word, no space
ok "optimal: the missing characters stay one word" grep -q "$E0$E1$E0" "$TMP/optimal.txt"
ok "optimal: the Vithkuqi word stays one word" grep -q "$V0$V1 end" "$TMP/optimal.txt"

set +e
"$IMPRINT" --strict "$TMP/pua.txt" -o "$TMP/strict.pdf" 2>"$TMP/err"; st=$?
set -e
eq "--strict: exit status" "1" "$st"
ok "--strict: says why" grep -q -- "3 problems reported; --strict writes no output" "$TMP/err"
ok "--strict: no output" test ! -e "$TMP/strict.pdf"
finish
