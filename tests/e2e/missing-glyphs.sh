# End-to-end: characters no installed font covers (private use U+E000, U+E001; checked
# against fonts/fonts.conf by tests/hostile) are reported once each, at their first source
# line, with one summary of further occurrences; the run completes with every other
# character in the PDF, and --strict turns the report into exit 1 with no output.
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

set +e
"$IMPRINT" --strict "$TMP/pua.txt" -o "$TMP/strict.pdf" 2>"$TMP/err"; st=$?
set -e
eq "--strict: exit status" "1" "$st"
ok "--strict: says why" grep -q -- "3 problems reported; --strict writes no output" "$TMP/err"
ok "--strict: no output" test ! -e "$TMP/strict.pdf"
finish
