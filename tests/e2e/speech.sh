# End-to-end: the bundled speech with its site style (chosen by detection).
# Checks the text layer character for character, the chrome, running heads and footers,
# page count, metadata, fonts, determinism, qpdf, and page 1's pixels.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"

"$IMPRINT" "$SPEECH" -o "$TMP/a.pdf" 2>"$TMP/err"
ok "speech renders" test -s "$TMP/a.pdf"
eq "no messages for the speech" "" "$(cat "$TMP/err")"
"$IMPRINT" "$SPEECH" -o "$TMP/b.pdf"
ok "two runs give byte-identical PDFs" cmp -s "$TMP/a.pdf" "$TMP/b.pdf"
ok "qpdf --check passes" qpdf --check "$TMP/a.pdf" >/dev/null

# metadata
pdfinfo -isodates "$TMP/a.pdf" >"$TMP/info"
field() { sed -n "s/^$1: *//p" "$TMP/info"; }
eq "title" "Vice Minister Jiang delivered a speech at the symposium on cracking down IPR infringement and manufacture and distribution of fake and shoddy goods in online business" "$(field Title)"
eq "subject is the section" "Speeches" "$(field Subject)"
eq "creator" "imprint 0.2.0" "$(field Creator)"
eq "creation date from SOURCE_DATE_EPOCH" "2023-11-14T22:13:20Z" "$(field CreationDate)"
eq "page size is A4" "595.276 x 841.89 pts (A4)" "$(field 'Page size')"
PAGES=$(field Pages)
eq "page count" "2" "$PAGES"

# fonts: all embedded and subset; Latin body in Noto Serif, Han in a Noto CJK face
pdffonts "$TMP/a.pdf" | tail -n +3 >"$TMP/fonts"
ok "fonts listed" test -s "$TMP/fonts"
eq "every font embedded and subset" "" "$(awk '$(NF-4) != "yes" || $(NF-3) != "yes"' "$TMP/fonts")"
ok "body in Noto Serif" grep -q '+NotoSerif-Regular ' "$TMP/fonts"
ok "Han in Noto Sans/Serif CJK SC" grep -Eq '\+Noto(Sans|Serif)CJKsc-' "$TMP/fonts"
ok "headings in Noto Sans" grep -Eq '\+NotoSans-(Bold|SemiBold|Medium|Regular) ' "$TMP/fonts"

# every character of masthead, title, body and notice is in the text area, in order
TOP=$(style_pt mofcom page margin-top)
BOTTOM=$(style_pt mofcom page margin-bottom)
H=$(awk -v t="$TOP" -v b="$BOTTOM" 'BEGIN { printf "%d", 841.89 - t - b }')
: >"$TMP/body.txt"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/a.pdf" -f "$p" -l "$p" -x 0 -y "${TOP%.*}" -W 596 -H "$H" >>"$TMP/body.txt"
    p=$((p + 1))
done
sed -e '1s/ | //' -e '/^Home> Speeches$/d' -e '/^Release Comment:/d' \
    -e '/^Big Medium-sized Small$/d' "$SPEECH" | squeeze >"$TMP/expect"
unhyphenate "$TMP/expect" "$TMP/body.txt" "$TMP/joined" >"$TMP/got"
eq "characters of the text (count)" "$(wc -m <"$TMP/expect")" "$(wc -m <"$TMP/got")"
ok "every character of the text, in order" cmp -s "$TMP/expect" "$TMP/got"

# hyphenation as in TeX: a paragraph that sets evenly without hyphens is left alone, the
# others are hyphenated; each hyphenated word comes out whole from pdftotext
ok "A4: some words are hyphenated" test -s "$TMP/joined"
# (the text area of each page, so that a word hyphenated at the foot of a page, which no
# extraction joins across the footer, is read as one with its hyphen dropped)
: >"$TMP/a4-text"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdftotext -enc UTF-8 -f "$p" -l "$p" -x 0 -y "${TOP%.*}" -W 596 -H "$H" "$TMP/a.pdf" - |
        squeeze >>"$TMP/a4-text"
    printf '|' >>"$TMP/a4-text"
    p=$((p + 1))
done
sed -i -e 's/\([A-Za-z]\)-|\([a-z]\)/\1\2/g' -e 's/|//g' "$TMP/a4-text"
while read -r word; do
    ok "A4: hyphenated '$word' comes out whole" grep -q -- "$word" "$TMP/a4-text"
done <"$TMP/joined"
# on A5's narrower measure some are; the text layer shows the added hyphen at the line end,
# and pdftotext (which removes such hyphens) gives each word whole
"$IMPRINT" --set page.size=A5 "$SPEECH" -o "$TMP/a5.pdf"
pdftotext -raw -enc UTF-8 "$TMP/a5.pdf" - | awk '
    prev != "" { split($0, w, /[^A-Za-z]/); print prev w[1]; prev = "" }
    /[A-Za-z]-$/ { n = split($0, w, /[^A-Za-z-]/); prev = substr(w[n], 1, length(w[n]) - 1) }
' >"$TMP/a5-joined"
ok "A5: some words are hyphenated" test -s "$TMP/a5-joined"
pdftotext -enc UTF-8 "$TMP/a5.pdf" - | squeeze >"$TMP/joined-text"
while read -r word; do
    ok "hyphenated '$word' comes out whole" grep -q -- "$word" "$TMP/joined-text"
done <"$TMP/a5-joined"

# chrome is gone; footer on every page; header from page 2 only
pdf_text "$TMP/a.pdf" >"$TMP/all.txt"
ok "web chrome 'Release Comment' dropped" sh -c "! grep -q 'Release Comment' '$TMP/all.txt'"
ok "web chrome 'Big Medium-sized Small' dropped" sh -c "! grep -q 'Medium-sized' '$TMP/all.txt'"
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$TMP/a.pdf" -f "$p" -l "$p" -x 0 -y 780 -W 596 -H 62 >"$TMP/foot"
    ok "page $p footer has the attribution" grep -q 'Source: Ministry of Commerce Website' "$TMP/foot"
    ok "page $p footer has 'Page $p of $PAGES'" grep -q "Page $p of $PAGES" "$TMP/foot"
    pdf_text "$TMP/a.pdf" -f "$p" -l "$p" -x 0 -y 0 -W 596 -H "${TOP%.*}" >"$TMP/head"
    if [ "$p" -eq 1 ]; then
        eq "page 1 has no running header" "" "$(squeeze <"$TMP/head")"
    else
        ok "page $p header names the site" grep -q 'MOFCOM' "$TMP/head"
        ok "page $p header names the section" grep -q 'Speeches' "$TMP/head"
        ok "page $p header has the short title" grep -q 'Vice Minister Jiang' "$TMP/head"
    fi
    p=$((p + 1))
done
ok "the notice starts on the last page" sh -c "pdftotext -f $PAGES -l $PAGES '$TMP/a.pdf' - | tr -d ' \n' | grep -q 'CopyrightandDisclaimerStatement'"
ok "the notice ends on the same page" sh -c "pdftotext -f $PAGES -l $PAGES '$TMP/a.pdf' - | tr -d ' \n' | grep -q 'shallassumelegalliabilityfortheuse'"

# page 1 pixels against the reviewed reference
pdftoppm -r 60 -f 1 -l 1 -png "$TMP/a.pdf" "$TMP/page"
golden speech-mofcom-p1 "$(ls "$TMP"/page*.png | head -1)"
finish
