# Many quotation marks and many quotations in another language in one paragraph: the
# pairing of marks (layout/shape.c) and the runs of LANG spans stay linear; every
# character kept.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen quotes lang-spans
run "$IN/quotes.txt" -o "$TMP/quotes.pdf"
pdf_ok "400,000 quotation marks" "$TMP/quotes.pdf"
same_text "400,000 quotation marks" "$TMP/quotes.pdf" "$IN/quotes.txt"
run -v "$IN/lang-spans.txt" -o "$TMP/spans.pdf"
pdf_ok "40,000 Japanese quotations in Chinese" "$TMP/spans.pdf"
ok "40,000 Japanese quotations in Chinese: found" grep -q '40000 quotations in another language' "$TMP/err"
same_text "40,000 Japanese quotations in Chinese" "$TMP/spans.pdf" "$IN/lang-spans.txt"
pdffonts "$TMP/spans.pdf" >"$TMP/fonts"
ok "40,000 Japanese quotations in Chinese: the kana in the JP face" grep -q 'NotoSerifCJKjp' "$TMP/fonts"
ok "40,000 Japanese quotations in Chinese: the Chinese in the SC face" grep -q 'NotoSerifCJKsc' "$TMP/fonts"
finish
