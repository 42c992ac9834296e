# Hostile small inputs: every one gives a valid PDF with every character kept or reported,
# or exit 1 with one clear message and no file; --strict turns each reported problem into
# exit 1 with no file.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen
O="$TMP/pdf"
mkdir -p "$O"

# ---- refused, with the file and the problem named
for c in empty blank; do
    run "$IN/$c.txt" -o "$O/$c.pdf"
    fails "$c" "$c.txt: no text to typeset" "$O/$c.pdf"
done
run "$IN/bad-utf8.txt" -o "$O/bad-utf8.pdf"
# (a stray byte between spaces is damage, not a legacy encoding: the message names it and
# the way to name an encoding)
fails "invalid UTF-8" "bad-utf8.txt:3: invalid UTF-8 at byte offset 53; if the text is in another encoding, name it with --encoding$" "$O/bad-utf8.pdf"
for c in bad-overlong bad-surrogate bad-truncated; do
    run "$IN/$c.txt" -o "$O/$c.pdf"
    fails "$c" "$c.txt:1: invalid UTF-8 at byte offset [0-9]+; .*--encoding$" "$O/$c.pdf"
done
run "$IN/bad-utf16.txt" -o "$O/bad-utf16.pdf"
fails "odd-length UTF-16" "bad-utf16.txt: invalid UTF-16LE" "$O/bad-utf16.pdf"
run "$IN/utf16-nobom.txt" -o "$O/utf16-nobom.pdf"
fails "UTF-16 without BOM" "utf16-nobom.txt: binary data, not text \(UTF-16" "$O/utf16-nobom.pdf"
run "$IN/png.txt" -o "$O/png.pdf"
fails "a PNG" "png.txt: binary data, not text$" "$O/png.pdf"
set +e; "$IMPRINT" - -o "$O/png-stdin.pdf" <"$IN/png.txt" >"$TMP/out" 2>"$TMP/err"; st=$?; set -e
fails "a PNG on standard input" "<stdin>: binary data" "$O/png-stdin.pdf"
# a real page image, made by imprint itself
printf 'A page\n\nto draw as an image.\n' >"$IN/page.txt"
run "$IN/page.txt" -f png -o "$IN/page.png"
eq "PNG output for the next case" 0 "$st"
run "$IN/page.png" -o "$O/page.pdf"
fails "imprint's own PNG" "page.png: binary data, not text$" "$O/page.pdf"

# ---- typeset, every character kept
run "$IN/bom.txt" -o "$O/bom.pdf"
pdf_ok "UTF-8 BOM" "$O/bom.pdf"
has_text "UTF-8 BOM" "$O/bom.pdf" "TitleAfterABOMBodytextfollowsthetitle."
ok "UTF-8 BOM: the BOM is not in the text layer" sh -c "! pdftotext -enc UTF-8 '$O/bom.pdf' - | grep -q \"$(printf '\357\273\277')\""
eq "UTF-8 BOM: the title has no BOM" "Title After A BOM" \
    "$(pdfinfo -enc UTF-8 "$O/bom.pdf" | sed -n 's/^Title: *//p')"

for e in le be; do
    run "$IN/utf16$e.txt" -o "$O/utf16$e.pdf"
    pdf_ok "UTF-16$e with BOM" "$O/utf16$e.pdf"
    case $e in le) w=Littleendian ;; be) w=Bigendian ;; esac
    has_text "UTF-16$e with BOM" "$O/utf16$e.pdf" "UTF16Title${w}textwith汉字andcafé."
done

for c in crlf cr; do
    run "$IN/$c.txt" -o "$O/$c.pdf"
    pdf_ok "$c line ends" "$O/$c.pdf"
    eq "$c line ends: no warning" "" "$(cat "$TMP/err")"
    ok "$c line ends: wrapped lines joined with one space" \
        sh -c "pdftotext -enc UTF-8 '$O/$c.pdf' - | grep -q 'First paragraph line one continues here.'"
    ok "$c line ends: two paragraphs" \
        sh -c "pdftotext -enc UTF-8 '$O/$c.pdf' - | grep -q '^Second paragraph.$'"
    ok "$c line ends: no CR in the text layer" \
        sh -c "! pdftotext -enc UTF-8 '$O/$c.pdf' - | grep -q \"$(printf '\r')\""
done

run "$IN/formfeed.txt" -o "$O/formfeed.pdf"
pdf_ok "form feeds and tabs" "$O/formfeed.pdf"
eq "form feeds: a page per break, none empty" 3 "$(pages "$O/formfeed.pdf")"
for p in 2 3; do
    pdftotext -enc UTF-8 -f $p -l $p "$O/formfeed.pdf" "$TMP/p$p.txt"
done
ok "form feeds: page 2 holds the second part" grep -q 'Page two' "$TMP/p2.txt"
ok "form feeds: page 3 holds the third part" grep -q 'Page three after two form feeds.' "$TMP/p3.txt"
pdftotext -enc UTF-8 -f 1 -l 1 "$O/formfeed.pdf" "$TMP/p1.txt"
eq "form feeds and tabs: page 1 holds the first part, the tab a gap" "Pageonetextwithatab." \
    "$(squeeze <"$TMP/p1.txt" | sed 's/Page1of3//')"

run "$IN/bidi.txt" -o "$O/bidi.pdf"
pdf_ok "Hebrew and Arabic in English" "$O/bidi.pdf"
eq "bidi: no warning" "" "$(cat "$TMP/err")"
# pdftotext orders glyphs by position: it gives the logical text only when the right-to-left
# runs were laid out right to left
has_text "bidi" "$O/bidi.pdf" "Thewordשלוםmeanspeace,andمرحبابالعالمmeanshelloworld."
has_text "bidi" "$O/bidi.pdf" "EnglisharoundעבריתועודמיליםandbacktoEnglish."

# (no running head: the title on page 2 would come between the parts of the URL)
run "$IN/url.txt" --set header.left= -o "$O/url.pdf"
pdf_ok "a URL longer than the line" "$O/url.pdf"
plain "$IN/url.txt" >"$TMP/url-want.txt"
has_text "a URL longer than the line" "$O/url.pdf" "$(cat "$TMP/url-want.txt")"
inside "a URL longer than the line" "$O/url.pdf"

# ---- typeset, with problems reported (and --strict refusing them)
run "$IN/nul.txt" -o "$O/nul.pdf"
pdf_ok "NUL bytes" "$O/nul.pdf"
has_text "NUL bytes" "$O/nul.pdf" "TextwithaNULbyteinit.Secondparagraph."
ok "NUL bytes: each reported with its line" \
    sh -c "grep -q 'nul.txt:1: warning: dropped control character U+0000' '$TMP/err' &&
           grep -q 'nul.txt:3: warning: dropped control character U+0000' '$TMP/err'"

run "$IN/controls.txt" -o "$O/controls.pdf"
pdf_ok "control characters" "$O/controls.pdf"
has_text "control characters" "$O/controls.pdf" "Bellandescape[0mandDELandC1here."
ok "control characters: reported with line, count and the first" \
    grep -q 'controls.txt:3: warning: dropped 4 control characters (the first U+0007)' "$TMP/err"

# noncharacters are valid UTF-8 but not text (cairo refuses them, and the PDF with them)
run "$IN/nonchars.txt" -o "$O/nonchars.pdf"
pdf_ok "noncharacters" "$O/nonchars.pdf"
has_text "noncharacters" "$O/nonchars.pdf" "NoncharactershereBodytext."
ok "noncharacters: reported with line and code point" \
    sh -c "grep -q 'nonchars.txt:1: warning: dropped 3 control characters or noncharacters (the first U+FFFF)' '$TMP/err' &&
           grep -q 'nonchars.txt:3: warning: dropped noncharacter U+FFFE' '$TMP/err'"
eq "noncharacters: the title has none" "Noncharacters here" \
    "$(pdfinfo -enc UTF-8 "$O/nonchars.pdf" | sed -n 's/^Title: *//p')"

run "$IN/uncovered.txt" -o "$O/uncovered.pdf"
pdf_ok "a script no font covers" "$O/uncovered.pdf"
has_text "a script no font covers" "$O/uncovered.pdf" "Aprivateword"
for cp in E000 E001 E002 10570 10571 10572; do
    ok "uncovered: U+$cp reported with its line" \
        grep -q "uncovered.txt:3: warning: no font can show U+$cp" "$TMP/err"
done

run "$IN/emoji.txt" -o "$O/emoji.pdf"
pdf_ok "emoji sequences" "$O/emoji.pdf"
# each emoji code point reaches the text layer or is reported (no emoji font is set up)
pdftotext -enc UTF-8 "$O/emoji.pdf" "$TMP/emoji.txt"
for e in "👩 1F469" "👧 1F467" "👦 1F466" "👍 1F44D" "🏽 1F3FD" "🏿 1F3FF" "🏳 1F3F3" \
         "🌈 1F308" "🧑 1F9D1" "🚀 1F680"; do
    ch=${e% *} cp=${e#* }
    ok "emoji: U+$cp shown or reported" \
        sh -c "grep -q '$ch' '$TMP/emoji.txt' || grep -q 'emoji.txt:3: warning: no font can show U+$cp' '$TMP/err'"
done
has_text "emoji sequences" "$O/emoji.pdf" "done."

# --strict: the same inputs fail, with the problems and then one closing message, no file
for c in nul controls nonchars uncovered emoji; do
    run --strict "$IN/$c.txt" -o "$O/strict-$c.pdf"
    sane "--strict $c"
    eq "--strict $c: exit status" 1 "$st"
    ok "--strict $c: closing message names the file and --strict" \
        sh -c "tail -n 1 '$TMP/err' | grep -Eq '^imprint: .*$c.txt: [0-9]+ problems? reported; --strict writes no output$'"
    ok "--strict $c: no output file" test ! -e "$O/strict-$c.pdf"
done
# ... and a clean input still passes
run --strict "$IN/crlf.txt" -o "$O/strict-crlf.pdf"
pdf_ok "--strict on a clean input" "$O/strict-crlf.pdf"
# ... and an existing output is left as it was
printf 'old\n' >"$O/keep.pdf"
run --strict "$IN/uncovered.txt" -o "$O/keep.pdf"
eq "--strict failure leaves an existing output untouched" old "$(cat "$O/keep.pdf")"
finish
