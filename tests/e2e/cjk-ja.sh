# End-to-end: Japanese set by JLReq, on the Debian Reference in Japanese (Debian package
# debian-reference-ja): the language found from the text; every kanji, kana and mark in
# the JP face (no Chinese glyph forms); the text layer whole; no line starting with a
# small kana or ー (strict kinsoku), nor with closing punctuation; no one-letter last line;
# no hyphen added in a Japanese paragraph; the footer "N / M"; page 2's pixels.
. "$IMP_SOURCE_DIR/tests/lib.sh"
MEASURE="$IMP_SOURCE_DIR/tools/measure-typography"

# the preface and chapter 1's opening, about six pages
zcat /usr/share/debian-reference/debian-reference.ja.txt.gz | sed -n 676,1000p >"$TMP/ja.txt"
"$IMPRINT" -v "$TMP/ja.txt" -o "$TMP/ja.pdf" 2>"$TMP/err"
ok "renders" test -s "$TMP/ja.pdf"
ok "-v: the language found" grep -q 'language ja (detected from the text)' "$TMP/err"
PAGES=$(pdfinfo "$TMP/ja.pdf" | sed -n 's/^Pages: *//p')
ok "several pages ($PAGES)" test "$PAGES" -ge 4

# fonts: Japanese faces only, no Chinese one
pdffonts "$TMP/ja.pdf" | tail -n +3 >"$TMP/fonts"
ok "the JP face is embedded" grep -q '+NotoSerifCJKjp-' "$TMP/fonts"
eq "no SC, TC or KR face" "" "$(grep -E 'CJK(sc|tc|kr)' "$TMP/fonts")"

"$MEASURE" --source "$TMP/ja.txt" "$TMP/ja.pdf" >"$TMP/m"
fig() { sed -n "s/^ *$1//p" "$TMP/m"; }
eq "Han: in the JP faces only (serif for text, sans for headings)" "" \
    "$(fig 'Han: ' | tr ',' '\n' | grep -v 'CJKjp')"
eq "kana: in the JP faces only (serif for text, sans for headings)" "" \
    "$(fig 'kana: ' | tr ',' '\n' | grep -v 'CJKjp')"
eq "CJK punctuation: in the JP faces only (serif for text, sans for headings)" "" \
    "$(fig 'CJK punctuation: ' | tr ',' '\n' | grep -v 'CJKjp')"
eq "no line starts with a small kana, ー or an iteration mark" "0" \
    "$(fig 'lines starting with a small kana, ー or an iteration mark: ')"
eq "no line starts with closing punctuation" "0" \
    "$(fig 'lines starting with closing punctuation: ')"
eq "no line ends with opening punctuation" "0" "$(fig 'lines ending with opening punctuation: ')"
ok "no one-letter last line" grep -q 'ending with a line of one CJK letter (+ punctuation): 0$' "$TMP/m"
ok "no hyphen added in a Japanese paragraph" grep -q '(a hyphen added: 0)' "$TMP/m"
ok "a quarter em between Japanese and Latin (mean 0.2 to 0.35 em)" \
    awk '/Han-Latin gap \(em\)/ { split($0, a, "mean="); m = a[2] + 0; exit !(m >= 0.2 && m <= 0.35) }' "$TMP/m"

# every character of the text, in order, in the text areas (a hyphen the layout added at a
# line end in an English paragraph removed)
: >"$TMP/body.txt"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/ja.pdf" -f "$p" -l "$p" -x 0 -y 71 -W 596 -H 700 >>"$TMP/body.txt"
    p=$((p + 1))
done
squeeze <"$TMP/ja.txt" >"$TMP/expect"
unhyphenate "$TMP/expect" "$TMP/body.txt" >"$TMP/got"
ok "every character of the text, in order" cmp -s "$TMP/expect" "$TMP/got"

# the footer as Japanese writes page numbers
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/ja.pdf" -f "$p" -l "$p" -x 0 -y 780 -W 596 -H 62 >"$TMP/foot"
    ok "page $p footer says '$p / $PAGES'" grep -q "$p / $PAGES" "$TMP/foot"
    p=$((p + 1))
done

pdftoppm -r 60 -f 2 -l 2 -png "$TMP/ja.pdf" "$TMP/page"
golden cjk-ja-p2 "$(ls "$TMP"/page*.png | head -1)"
finish
