# End-to-end: the tagged PDF of plain output (issue 10's "In the PDF"), read back with
# poppler (pdfinfo -struct), qpdf --json (outline, page labels) and tools/pdf-structure
# (pdfminer: the tree with its text):
#  - the speech: Document, the title an H1, the paragraphs P (the one over the page break
#    a Span a page), the notice a Note of Ps; the outline's one entry is the title, at its
#    page; every marked-content sequence in one
#    element, the running heads and footers in none;
#  - a longer text from a Debian package (debian-reference-en, chapter 1 of
#    debian-reference.en.txt.gz) over several pages: a paragraph broken over a page is one
#    P holding one Span a page, the leaves hold the text complete and in order, and what is
#    outside the tree on each page is its running head and footer alone;
#  - a page range: its pages labelled with the document's numbers;
#  - --no-pdf-tags: no tree, the same text; refused under ua-1.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
STRUCT="$IMP_SOURCE_DIR/tools/pdf-structure"

"$IMPRINT" "$SPEECH" -o "$TMP/speech.pdf"
pdfinfo -struct "$TMP/speech.pdf" | sed 's/ (.*)$//' >"$TMP/struct"
cat >"$TMP/expect" <<'EOF'
Document
  H1
  P
  P
  P
    Span
    Span
  P
  Note <note-6>
    P
    P
    P
EOF
sed -i 's/ <note-6>//' "$TMP/expect"
eq "speech: the tree pdfinfo -struct shows" "$(cat "$TMP/expect")" "$(cat "$TMP/struct")"
ok "speech: every marked-content sequence in one element" "$STRUCT" --check "$TMP/speech.pdf"
"$STRUCT" --untagged "$TMP/speech.pdf" >"$TMP/untagged"
ok "speech: the footer is outside the tree" grep -q 'Page 1 of 2' "$TMP/untagged"
ok "speech: the masthead is outside the tree" grep -q 'MOFCOM' "$TMP/untagged"
ok "speech: no body text outside the tree" sh -c "! grep -q 'Jiang pointed out' '$TMP/untagged'"
qpdf --json --json-key=outlines "$TMP/speech.pdf" >"$TMP/outlines"
eq "speech: one outline entry, the title" 1 "$(grep -c '"title":' "$TMP/outlines")"
ok "speech: the entry leads to page 1" grep -q '"destpageposfrom1": 1' "$TMP/outlines"
ok "speech: no page labels from page 1 (readers number from 1)" \
    sh -c "! qpdf --json --json-key=pagelabels '$TMP/speech.pdf' | grep -q index"

# A longer text over pages: chapter 1 of the Debian Reference in English.
zcat /usr/share/debian-reference/debian-reference.en.txt.gz |
    awk '/^Chapter[^0-9]*1\./ { f = 1 } f' | head -n 400 >"$TMP/ref.txt"
ok "the excerpt was found" test "$(wc -l <"$TMP/ref.txt")" -ge 300
"$IMPRINT" "$TMP/ref.txt" -o "$TMP/ref.pdf"
pages=$(pdfinfo "$TMP/ref.pdf" | sed -n 's/^Pages: *//p')
ok "the excerpt takes several pages" test "$pages" -ge 4
ok "ref: every marked-content sequence in one element" "$STRUCT" --check "$TMP/ref.pdf"
"$STRUCT" "$TMP/ref.pdf" >"$TMP/ref-tree"
ok "ref: a paragraph over a page break is a P of Spans" \
    sh -c "grep -A2 '^  P\$' '$TMP/ref-tree' | grep -q '^    Span: '"
eq "ref: no Span but in a P broken over a page" "" \
    "$(awk '/^    Span/ && prev !~ /^  P$|^    Span/ { print } { prev = $0 }' "$TMP/ref-tree")"
squeeze <"$TMP/ref.txt" >"$TMP/ref-expect"
"$STRUCT" --leaves "$TMP/ref.pdf" >"$TMP/leaves"
unhyphenate "$TMP/ref-expect" "$TMP/leaves" >"$TMP/leaves-text"
ok "ref: the tree's leaves hold the text, complete and in order" \
    cmp -s "$TMP/ref-expect" "$TMP/leaves-text"
# outside the tree: each page's footer and (after page 1) its running head, nothing else
"$STRUCT" --untagged "$TMP/ref.pdf" >"$TMP/untagged"
eq "ref: every page's footer is outside the tree" "$pages" \
    "$(grep -c "^Page [0-9]* of $pages\$" "$TMP/untagged")"
eq "ref: and the running head, and nothing else" "" \
    "$(grep -v "^Page [0-9]* of $pages\$" "$TMP/untagged" | grep -v '^Chapter.*GNU/Linux tutorials$' |
       grep -v '^$' || true)"

# a page range keeps the document's page numbers as labels
"$IMPRINT" "$TMP/ref.txt" --page 3 -o "$TMP/p3.pdf"
qpdf --json --json-key=pagelabels "$TMP/p3.pdf" >"$TMP/labels"
ok "--page 3: labelled 3" grep -q '"/St": 3' "$TMP/labels"
ok "--page 3: decimal" grep -q '"/S": "/D"' "$TMP/labels"
ok "--page 3: tagged" "$STRUCT" --check "$TMP/p3.pdf"

# --no-pdf-tags: no tree, no marked content, the same text; refused under ua-1
"$IMPRINT" --no-pdf-tags "$SPEECH" -o "$TMP/untagged.pdf"
ok "--no-pdf-tags: pdfinfo says untagged" sh -c "pdfinfo '$TMP/untagged.pdf' | grep -q '^Tagged: *no'"
ok "--no-pdf-tags: no StructTreeRoot, no MarkInfo" \
    sh -c "! qpdf --qdf --object-streams=disable '$TMP/untagged.pdf' - | grep -aq '/StructTreeRoot\\|/MarkInfo'"
eq "--no-pdf-tags: the same text" "$(pdftotext "$TMP/speech.pdf" -)" "$(pdftotext "$TMP/untagged.pdf" -)"
st=0
"$IMPRINT" --no-pdf-tags --pdf-standard ua-1 "$SPEECH" -o "$TMP/ua.pdf" 2>"$TMP/err" || st=$?
eq "--no-pdf-tags with ua-1: exit status" 1 "$st"
ok "--no-pdf-tags with ua-1: the rule named" grep -q 'PDF/UA-1 (ISO 14289-1 §7.1): the content must be tagged' "$TMP/err"
ok "--no-pdf-tags with ua-1: no file" test ! -e "$TMP/ua.pdf"

finish
