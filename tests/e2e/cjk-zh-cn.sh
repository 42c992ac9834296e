# End-to-end: Simplified Chinese by CLReq, on the Debian Reference in Simplified Chinese
# (Debian package debian-reference-zh-cn) and the ls(1) manual page (manpages-zh): the
# language found; Han and punctuation in the SC face; the text layer whole; no line
# starting with closing punctuation; no one-letter last line; no hyphen added in a Chinese
# paragraph; command options never broken right after their leading dashes, nor Chinese
# letter-spaced beyond a quarter em for want of a break; lines that could not help it
# reported with -v and counted; the footer "第 N 页，共 M 页"; page 2's pixels.
. "$IMP_SOURCE_DIR/tests/lib.sh"
MEASURE="$IMP_SOURCE_DIR/tools/measure-typography"

zcat /usr/share/debian-reference/debian-reference.zh-cn.txt.gz | sed -n 659,1000p >"$TMP/cn.txt"
"$IMPRINT" -v "$TMP/cn.txt" -o "$TMP/cn.pdf" 2>"$TMP/err"
ok "renders" test -s "$TMP/cn.pdf"
ok "-v: the language found" grep -q 'language zh-Hans (detected from the text)' "$TMP/err"
PAGES=$(pdfinfo "$TMP/cn.pdf" | sed -n 's/^Pages: *//p')
ok "several pages ($PAGES)" test "$PAGES" -ge 4

pdffonts "$TMP/cn.pdf" | tail -n +3 >"$TMP/fonts"
ok "the SC face is embedded" grep -q '+NotoSerifCJKsc-' "$TMP/fonts"
eq "no TC, JP or KR face" "" "$(grep -E 'CJK(tc|jp|kr)' "$TMP/fonts")"

"$MEASURE" --source "$TMP/cn.txt" "$TMP/cn.pdf" >"$TMP/m"
fig() { sed -n "s/^ *$1//p" "$TMP/m"; }
eq "Han: in the SC faces only" "" "$(fig 'Han: ' | tr ',' '\n' | grep -v 'CJKsc')"
eq "no line starts with closing punctuation" "0" \
    "$(fig 'lines starting with closing punctuation: ')"
ok "no one-letter last line" grep -q 'ending with a line of one CJK letter (+ punctuation): 0$' "$TMP/m"
ok "no hyphen added in a Chinese paragraph" grep -q '(a hyphen added: 0)' "$TMP/m"
ok "no break right after a leading -/--" grep -q 'right after a leading -/--: 0$' "$TMP/m"

# a line that must space its characters beyond cjk-max-stretch (a text-art table row of the
# same book, chapter 1, its lines run together into one paragraph, since the table as
# printed is set as typed) is reported with -v, and the lines counted
zcat /usr/share/debian-reference/debian-reference.zh-cn.txt.gz | sed -n 1524,1533p |
    tr -d '\n' >"$TMP/table.txt"
ok "the table's excerpt" grep -q '第一个可选数' "$TMP/table.txt"
"$IMPRINT" -v "$TMP/table.txt" -o "$TMP/table.pdf" 2>"$TMP/table.err"
ok "-v: a loose CJK line reported with its line" \
    grep -Eq '^imprint: [^:]*table.txt:[0-9]+: loose CJK line: characters spaced by [0-9]\.[0-9]+em \(cjk-max-stretch 0\.25em\)$' \
    "$TMP/table.err"
n=$(grep -c ': loose CJK line: characters spaced by' "$TMP/table.err" || true)
ok "-v: the loose CJK lines counted ($n)" \
    grep -q "table.txt: $n loose CJK lines\{0,1\} (characters spaced beyond" "$TMP/table.err"
"$IMPRINT" "$TMP/table.txt" -o "$TMP/table2.pdf" 2>"$TMP/table2.err"
eq "without -v, nothing is said" "" "$(cat "$TMP/table2.err")"
for f in "$TMP/err" "$TMP/table.err"; do
    eq "every reported loose CJK line is spaced beyond cjk-max-stretch" "" \
        "$(sed -n 's/.*loose CJK line: characters spaced by \([0-9.]*\)em.*/\1/p' "$f" |
           awk '$1 <= 0.25')"
done

: >"$TMP/body.txt"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/cn.pdf" -f "$p" -l "$p" -x 0 -y 71 -W 596 -H 700 >>"$TMP/body.txt"
    p=$((p + 1))
done
squeeze <"$TMP/cn.txt" >"$TMP/expect"
unhyphenate "$TMP/expect" "$TMP/body.txt" >"$TMP/got"
ok "every character of the text, in order" cmp -s "$TMP/expect" "$TMP/got"

p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/cn.pdf" -f "$p" -l "$p" -x 0 -y 780 -W 596 -H 62 >"$TMP/foot"
    ok "page $p footer says '第 $p 页，共 $PAGES 页'" grep -q "第 $p 页，共 $PAGES 页" "$TMP/foot"
    p=$((p + 1))
done

# options inside Chinese sentences: ls(1) of manpages-zh, roff markup removed, on A5's
# narrow measure; no line ends with the dashes that lead an option ("指定 -│cftuvSUX",
# "可与 --│group-directories-first"), the text layer keeps every character
zcat /usr/share/man/zh_CN/man1/ls.1.gz | sed -n '/^\.SH 描述/,/^\.SH 作者/p' |
    sed -e 's/\\f[BIRP]//g' -e 's/\\[,\/]//g' -e 's/\\-/-/g' -e 's/^\.\(TP\|PP\|IP\).*$//' \
        -e '/^\./d' >"$TMP/ls.txt"
"$IMPRINT" --set page.size=A5 "$TMP/ls.txt" -o "$TMP/ls.pdf"
pdf_text "$TMP/ls.pdf" >"$TMP/ls-lines"
ok "ls(1): several pages of lines" test "$(wc -l <"$TMP/ls-lines")" -gt 100
eq "ls(1): no line ends with an option's leading dashes" "" \
    "$(grep -E '(^| |\[|（|\()--?$' "$TMP/ls-lines")"
"$MEASURE" --source "$TMP/ls.txt" "$TMP/ls.pdf" >"$TMP/lsm"
ok "ls(1): no hyphen added" grep -q '(a hyphen added: 0)' "$TMP/lsm"

pdftoppm -r 60 -f 2 -l 2 -png "$TMP/cn.pdf" "$TMP/page"
golden cjk-zh-cn-p2 "$(ls "$TMP"/page*.png | head -1)"
finish
