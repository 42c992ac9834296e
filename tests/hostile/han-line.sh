# A 2 MB line of Chinese without punctuation: one paragraph, every character kept, every
# line inside the text column.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen han2m
run "$IN/han2m.txt" -o "$TMP/han2m.pdf"
pdf_ok "2 MB line of Chinese" "$TMP/han2m.pdf"
eq "2 MB line of Chinese: no warning" "" "$(head -c 300 "$TMP/err")"
same_text "2 MB line of Chinese" "$TMP/han2m.pdf" "$IN/han2m.txt"
inside "2 MB line of Chinese" "$TMP/han2m.pdf" "" zh
finish
