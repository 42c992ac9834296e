# A 5 MB line of Latin letters without a space: one paragraph, broken wherever it must be,
# every letter kept, every line inside the text column.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen latin5m
run "$IN/latin5m.txt" -o "$TMP/latin5m.pdf"
pdf_ok "5 MB line of Latin" "$TMP/latin5m.pdf"
same_text "5 MB line of Latin" "$TMP/latin5m.pdf" "$IN/latin5m.txt"
inside "5 MB line of Latin" "$TMP/latin5m.pdf"
finish
