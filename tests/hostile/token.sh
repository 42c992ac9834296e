# A 1 MiB token of hyphenated words without a space (abcdef-abcdef-...): every word is a
# hyphenation candidate inside one long token, which was once looked over for each word
# (quadratic: hours). Now one look per token; the timeout of ctest catches a hang. Every
# letter is kept and every line stays in the column.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen token1m
run "$IN/token1m.txt" -o "$TMP/token1m.pdf"
pdf_ok "1 MiB token of hyphenated words" "$TMP/token1m.pdf"
same_text "1 MiB token of hyphenated words" "$TMP/token1m.pdf" "$IN/token1m.txt"
inside "1 MiB token of hyphenated words" "$TMP/token1m.pdf"
finish
