# End-to-end: Korean set by the W3C's Korean layout requirements (KLREQ), on the Debian FAQ
# in Korean (Debian package debian-faq-ko, its HTML edition: the .txt edition wraps lines
# inside words, and a line end between two syllables reads as a space): the language found
# from the text; Hangul and hanja in the KR face; no gap added between Hangul and Latin
# letters or digits ("FAQ는", "1993년"); lines broken at spaces, never inside a word; no
# letter-spacing; no one-letter last line; the text layer whole; the footer "N / M 페이지";
# page 2's pixels.
. "$IMP_SOURCE_DIR/tests/lib.sh"
MEASURE="$IMP_SOURCE_DIR/tools/measure-typography"
FAQ=/usr/share/doc/debian/FAQ/ko

# the text of the paragraphs, headings, list items, terms and definitions of two chapters,
# white space collapsed, a paragraph each (until the HTML reader reads them itself)
python3 - "$FAQ/basic-defs.ko.html" "$FAQ/getting-debian.ko.html" >"$TMP/ko.txt" <<'EOF'
import html.parser, re, sys
BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd"}
class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.buf, self.out, self.depth = None, [], 0
    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
            self.buf, self.depth = "", self.depth + 1
    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
            self.depth -= 1
            self.buf = "" if self.depth > 0 else None
    def handle_data(self, data):
        if self.buf is not None:
            self.buf += data
    def flush(self):
        text = re.sub(r"\s+", " ", self.buf or "").strip()
        if text:
            self.out.append(text)
        self.buf = ""
for path in sys.argv[1:]:
    t = Text()
    t.feed(open(path, encoding="utf-8").read())
    print("\n\n".join(t.out) + "\n")
EOF
ok "the FAQ's text extracted" test "$(wc -c <"$TMP/ko.txt")" -gt 10000
"$IMPRINT" -v "$TMP/ko.txt" -o "$TMP/ko.pdf" 2>"$TMP/err"
ok "renders" test -s "$TMP/ko.pdf"
ok "-v: the language found" grep -q 'language ko (detected from the text)' "$TMP/err"
PAGES=$(pdfinfo "$TMP/ko.pdf" | sed -n 's/^Pages: *//p')
ok "several pages ($PAGES)" test "$PAGES" -ge 4

pdffonts "$TMP/ko.pdf" | tail -n +3 >"$TMP/fonts"
ok "the KR face is embedded" grep -q '+NotoSerifCJKkr-' "$TMP/fonts"
eq "no SC, TC or JP face" "" "$(grep -E 'CJK(sc|tc|jp)' "$TMP/fonts")"

"$MEASURE" --source "$TMP/ko.txt" "$TMP/ko.pdf" >"$TMP/m"
fig() { sed -n "s/^ *$1//p" "$TMP/m"; }
eq "Hangul: in the KR faces only" "" "$(fig 'Hangul: ' | tr ',' '\n' | grep -v 'CJKkr')"
ok "lines break between Hangul words" \
    test "$(sed -n 's/.*between two Hangul syllables \([0-9]*\),.*/\1/p' "$TMP/m")" -gt 50
ok "no line breaks inside a word" grep -q 'inside a word 0$' "$TMP/m"
eq "no gap between Hangul and Latin letters or digits where the text has none" "n=0" \
    "$(fig 'Korean: Hangul-Latin gaps where the text has no space: ')"
ok "no letter-spacing between syllables" grep -q 'CJK inter-character gaps (em): n=[0-9]* max=0.00' "$TMP/m"
ok "no one-letter last line" grep -q 'ending with a line of one CJK letter (+ punctuation): 0$' "$TMP/m"
ok "no hyphen added in a Korean paragraph" grep -q '(a hyphen added: 0)' "$TMP/m"

: >"$TMP/body.txt"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/ko.pdf" -f "$p" -l "$p" -x 0 -y 71 -W 596 -H 700 >>"$TMP/body.txt"
    p=$((p + 1))
done
squeeze <"$TMP/ko.txt" >"$TMP/expect"
unhyphenate "$TMP/expect" "$TMP/body.txt" >"$TMP/got"
ok "every character of the text, in order" cmp -s "$TMP/expect" "$TMP/got"

p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/ko.pdf" -f "$p" -l "$p" -x 0 -y 780 -W 596 -H 62 >"$TMP/foot"
    ok "page $p footer says '$p / $PAGES 페이지'" grep -q "$p / $PAGES 페이지" "$TMP/foot"
    p=$((p + 1))
done

pdftoppm -r 60 -f 2 -l 2 -png "$TMP/ko.pdf" "$TMP/page"
golden cjk-ko-p2 "$(ls "$TMP"/page*.png | head -1)"
finish
