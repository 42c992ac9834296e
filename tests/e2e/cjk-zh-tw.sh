# End-to-end: Traditional Chinese set by CLReq in Taiwan's faces, on the Debian Reference
# in Traditional Chinese (Debian package debian-reference-zh-tw): the language found from
# the text; Han and punctuation in the TC face (no SC); 。 centred in its em box (pixels);
# 戶 and 過 in other forms than the Simplified rendering of the same text (pixels); the
# text layer whole; no one-letter last line; no hyphen added; the footer
# "第 N 頁，共 M 頁"; page 2's pixels.
. "$IMP_SOURCE_DIR/tests/lib.sh"
MEASURE="$IMP_SOURCE_DIR/tools/measure-typography"

# the preface and chapter 1's opening, about six pages
zcat /usr/share/debian-reference/debian-reference.zh-tw.txt.gz | sed -n 659,1000p >"$TMP/tw.txt"
"$IMPRINT" -v "$TMP/tw.txt" -o "$TMP/tw.pdf" 2>"$TMP/err"
ok "renders" test -s "$TMP/tw.pdf"
ok "-v: the language found" grep -q 'language zh-Hant (detected from the text)' "$TMP/err"
PAGES=$(pdfinfo "$TMP/tw.pdf" | sed -n 's/^Pages: *//p')
ok "several pages ($PAGES)" test "$PAGES" -ge 4

pdffonts "$TMP/tw.pdf" | tail -n +3 >"$TMP/fonts"
ok "the TC face is embedded" grep -q '+NotoSerifCJKtc-' "$TMP/fonts"
eq "no SC, JP or KR face" "" "$(grep -E 'CJK(sc|jp|kr)' "$TMP/fonts")"

"$MEASURE" --source "$TMP/tw.txt" "$TMP/tw.pdf" >"$TMP/m"
fig() { sed -n "s/^ *$1//p" "$TMP/m"; }
eq "Han: in the TC faces only" "" "$(fig 'Han: ' | tr ',' '\n' | grep -v 'CJKtc')"
eq "CJK punctuation: in the TC faces only" "" \
    "$(fig 'CJK punctuation: ' | tr ',' '\n' | grep -v 'CJKtc')"
eq "no line starts with closing punctuation" "0" \
    "$(fig 'lines starting with closing punctuation: ')"
ok "no one-letter last line" grep -q 'ending with a line of one CJK letter (+ punctuation): 0$' "$TMP/m"
ok "no hyphen added in a Chinese paragraph" grep -q '(a hyphen added: 0)' "$TMP/m"

: >"$TMP/body.txt"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/tw.pdf" -f "$p" -l "$p" -x 0 -y 71 -W 596 -H 700 >>"$TMP/body.txt"
    p=$((p + 1))
done
squeeze <"$TMP/tw.txt" >"$TMP/expect"
unhyphenate "$TMP/expect" "$TMP/body.txt" >"$TMP/got"
ok "every character of the text, in order" cmp -s "$TMP/expect" "$TMP/got"

p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/tw.pdf" -f "$p" -l "$p" -x 0 -y 780 -W 596 -H 62 >"$TMP/foot"
    ok "page $p footer says '第 $p 頁，共 $PAGES 頁'" grep -q "第 $p 頁，共 $PAGES 頁" "$TMP/foot"
    p=$((p + 1))
done

# 。 is centred in its em box: "中。中" after a heading, rendered at 600 dpi; the ink's
# centre sits within a tenth of an em of the box's (in Simplified Chinese it sits in the
# left half)
centre() { # PDF — where the ink of the body line's 。 sits in its em box (0..1)
    pdftotext -bbox "$1" - | grep '<word' | sed -n 2p |
        sed 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)".*/\1 \2 \3 \4/' \
        >"$TMP/box"
    pdftoppm -r 600 -f 1 -l 1 -gray "$1" "$TMP/dot"
    python3 - "$TMP/box" "$(ls "$TMP"/dot*.pgm | head -1)" <<'EOF'
import sys
x0, y0, x1, y1 = (float(v) * 600 / 72 for v in open(sys.argv[1]).read().split())
data = open(sys.argv[2], "rb").read()
fields, pos = [], 0
while len(fields) < 4:  # P5 WIDTH HEIGHT MAXVAL, then the bytes
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
pos += 1
w = int(fields[1])
em = (x1 - x0) / 3  # the word is 中。中: three em boxes, 。 the second
x0 += em
cols = [x for x in range(int(x0), int(x0 + em))
        if any(data[pos + y * w + x] < 128 for y in range(int(y0), int(y1)))]
print("%.2f" % (((min(cols) + max(cols)) / 2 - x0) / em))
EOF
    rm -f "$TMP"/dot*.pgm
}
printf '標題\n\n中。中\n' >"$TMP/dot.txt"
"$IMPRINT" -M lang=zh-Hant "$TMP/dot.txt" -o "$TMP/dot-tw.pdf"
"$IMPRINT" -M lang=zh-Hans "$TMP/dot.txt" -o "$TMP/dot-cn.pdf"
ok "zh-Hant: 。 centred in its em box ($(centre "$TMP/dot-tw.pdf"))" \
    awk -v c="$(centre "$TMP/dot-tw.pdf")" 'BEGIN { exit !(c >= 0.4 && c <= 0.6) }'
ok "zh-Hans: 。 in the left half ($(centre "$TMP/dot-cn.pdf"))" \
    awk -v c="$(centre "$TMP/dot-cn.pdf")" 'BEGIN { exit !(c < 0.3) }'

# the same characters, Traditional and Simplified, drawn differently: 戶 and 過 have
# Taiwan's forms
printf '標題\n\n戶過戶過戶過\n' >"$TMP/forms.txt"
"$IMPRINT" -M lang=zh-Hant "$TMP/forms.txt" -o "$TMP/forms-tw.pdf"
"$IMPRINT" -M lang=zh-Hans "$TMP/forms.txt" -o "$TMP/forms-cn.pdf"
pdftoppm -r 150 -f 1 -l 1 -png "$TMP/forms-tw.pdf" "$TMP/ftw"
pdftoppm -r 150 -f 1 -l 1 -png "$TMP/forms-cn.pdf" "$TMP/fcn"
ok "戶 and 過 take other forms in Traditional Chinese" \
    sh -c "! '$PNGDIFF' '$(ls "$TMP"/ftw*.png)' '$(ls "$TMP"/fcn*.png)' 0.00001"

pdftoppm -r 60 -f 2 -l 2 -png "$TMP/tw.pdf" "$TMP/page"
golden cjk-zh-tw-p2 "$(ls "$TMP"/page*.png | head -1)"
finish
