# 50,000 one-line paragraphs: well over a thousand pages, every paragraph in order.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen paras50k
# (no running head: the title it repeats would come between the paragraphs)
run "$IN/paras50k.txt" --set header.left= -o "$TMP/paras50k.pdf"
pdf_ok "50,000 paragraphs" "$TMP/paras50k.pdf"
eq "50,000 paragraphs: no warning" "" "$(head -c 300 "$TMP/err")"
same_text "50,000 paragraphs" "$TMP/paras50k.pdf" "$IN/paras50k.txt"
n=$(pages "$TMP/paras50k.pdf")
ok "50,000 paragraphs: more than 1000 pages ($n)" test "$n" -gt 1000
finish
