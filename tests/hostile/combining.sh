# 100,000 combining acute accents on one letter: one grapheme cluster of 200 KB that cannot
# be broken. The run completes with a valid PDF and the text around it.
# (pdftotext drops characters drawn on top of an identical one, so the accents themselves
# cannot be counted in the text layer.)
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen combining
run "$IN/combining.txt" -o "$TMP/combining.pdf"
pdf_ok "100,000 combining marks" "$TMP/combining.pdf"
has_text "100,000 combining marks" "$TMP/combining.pdf" "Zalgo"
has_text "100,000 combining marks" "$TMP/combining.pdf" "Oneletter"
has_text "100,000 combining marks" "$TMP/combining.pdf" "andtheend."
# the accents stack far above the page, as they must; across, they stay in the column
inside "100,000 combining marks" "$TMP/combining.pdf" x
finish
