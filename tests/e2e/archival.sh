# End-to-end: --pdf-standard and the archival style (issue 12), each clause checked by a
# tool that shares no code with the finish stage:
#  - the speech in every shipped style, plain and as a-3u,ua-1 (the archival style asks
#    for it itself): tools/check-pdfa passes every clause of what the file claims; the
#    structure tree (tools/pdf-structure, pdfminer) lists every MCID once, leaves no text
#    outside it but in artifacts, and its leaves hold the body text, complete and in
#    order, the notice with its attribution in a Note; tools/preflight (PDFBox, PDF/A-1b)
#    finds nothing that applies to PDF/A-3; metadata (dc:title, dc:source = the input's
#    name, /Lang, dates from SOURCE_DATE_EPOCH) and the input embedded as the /Source, with
#    its bytes, MIME type and date; two runs and --jobs 1 and 2 give the same bytes;
#  - --attach files as supplements; the style key and its override by the option;
#  - Japanese, Korean and Traditional Chinese text from Debian packages
#    (debian-reference-ja and -zh-tw: debian-reference.*.txt.gz; debian-faq-ko:
#    debian-faq.ko.txt.gz) as a-3u,ua-1, with the document's language in /Lang;
#  - the Markdown press release (an image, links, a table) as a-3u,ua-1: the figure's
#    alternative text, links tagged and printed, the source embedded as text/markdown;
#  - refusals, exit 1 and no file: an image without alternative text under ua-1, a
#    character no font has under a-2u (not under a-2b), no
#    title under ua-1, an attachment under PDF/A-2, an impossible combination, a bad value
#    in a style; exit 2 for an unknown name.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
CHECK="$IMP_SOURCE_DIR/tools/check-pdfa"
STRUCT="$IMP_SOURCE_DIR/tools/pdf-structure"
PREFLIGHT="$IMP_SOURCE_DIR/tools/preflight"

status() { set +e; "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; set -e; }

# The speech as the site's rules read it, its notice included.
sed -e '1d' -e '/^Home> Speeches$/d' -e '/^Release Comment:/d' \
    -e '/^Big Medium-sized Small$/d' -e '/^MOFCOM/d' "$SPEECH" | squeeze >"$TMP/speech-read"

# structure PDF LABEL EXPECTED — the tree is whole (every MCID listed once), nothing is
# drawn outside it but artifacts (PDF/UA) or furniture, and its leaves' text is EXPECTED.
structure() {
    ok "$2: every marked-content sequence in one element" "$STRUCT" --check "$1"
    "$STRUCT" --leaves "$1" >"$TMP/leaves"
    unhyphenate "$3" "$TMP/leaves" >"$TMP/leaves-text"
    ok "$2: the structure tree's leaves hold the body text, complete and in order" \
        cmp -s "$3" "$TMP/leaves-text"
}

for style in default letter archival mofcom; do
    plain="$TMP/$style-plain.pdf" ua="$TMP/$style-ua.pdf"
    if [ $style = archival ]; then
        "$IMPRINT" "$SPEECH" --style archival --pdf-standard 1.7 -o "$plain"
        "$IMPRINT" "$SPEECH" --style archival -o "$ua"
    else
        "$IMPRINT" "$SPEECH" --style $style -o "$plain"
        "$IMPRINT" "$SPEECH" --style $style --pdf-standard a-3u,ua-1 -o "$ua"
    fi
    eq "$style: check-pdfa passes a-3u,ua-1" 0 "$(status "$CHECK" "$ua")"
    ok "$style: checked against what the file claims" grep -q "against a-3u,ua-1" "$TMP/out"
    for clause in xmp-info pdfaid pdfuaid dc-title lang output-intent fonts-embedded \
                  fonts-tounicode glyphs-unicode tagged-content mark-info display-doc-title \
                  struct-tree role-map figures-alt source-embedded page-labels tab-order; do
        ok "$style a-3u,ua-1: $clause passes" grep -Eq "^PASS .* $clause:" "$TMP/out"
    done
    structure "$ua" "$style a-3u,ua-1" "$TMP/speech-read"
    eq "$style a-3u,ua-1: no text outside the tree but artifacts" "" \
        "$("$STRUCT" --untagged "$ua")"
    ok "$style a-3u,ua-1: the footer is an artifact" \
        sh -c "'$STRUCT' --artifacts '$ua' | grep -q 'Page 1\\|1 / \\|of 2'"
    ok "$style: the notice is a Note with its attribution" \
        sh -c "'$STRUCT' '$ua' | grep -A3 '^  Note' | tr -s ' ' | grep -q 'Source: Ministry of Commerce Website'"
    # plain output is tagged too, its furniture untagged
    structure "$plain" "$style plain" "$TMP/speech-read"
    ok "$style plain: tagged" sh -c "pdfinfo '$plain' | grep -q '^Tagged: *yes'"
    eq "$style plain: claims no standard" 2 "$(status "$CHECK" "$plain")"
done

# Preflight (PDF/A-1b, PDFBox) on the archival speech: nothing that applies to PDF/A-3.
if [ -f /usr/share/java/preflight.jar ]; then
    ok "preflight: no finding applies to PDF/A-3" "$PREFLIGHT" "$TMP/archival-ua.pdf"
fi

# metadata and the embedded source
UA="$TMP/archival-ua.pdf"
qpdf --json --json-stream-data=inline --decode-level=generalized "$UA" >"$TMP/ua.json"
xmp=$(qpdf --show-object=$(qpdf --json "$UA" | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
root = j["qpdf"][1]["trailer"]["value"]["/Root"]
print(j["qpdf"][1]["obj:" + root]["value"]["/Metadata"].split()[0])') --filtered-stream-data "$UA")
ok "XMP: dc:title is the speech's title" sh -c "echo '$xmp' | grep -q 'Vice Minister Jiang delivered a speech'"
ok "XMP: dc:source is the input's name" sh -c "echo '$xmp' | grep -q '<rdf:li>speech.txt</rdf:li>\\|>speech.txt<'"
ok "XMP: dates from SOURCE_DATE_EPOCH" sh -c "echo '$xmp' | grep -q '2023-11-14T22:13:20+00:00'"
ok "XMP: dc:language en" sh -c "echo '$xmp' | grep -q '<rdf:li>en</rdf:li>'"
qpdf --list-attachments --verbose "$UA" >"$TMP/att"
ok "the source is attached as speech.txt" grep -q '^speech.txt ->' "$TMP/att"
ok "its MIME type is text/plain" grep -q 'text/plain' "$TMP/att"
ok "its date is the creation time" grep -q "D:20231114221320" "$TMP/att"
qpdf --show-attachment=speech.txt "$UA" >"$TMP/embedded"
ok "the embedded source is the input, byte for byte" cmp -s "$SPEECH" "$TMP/embedded"

# reproducible: two runs, --jobs 1 and 2
"$IMPRINT" "$SPEECH" --style archival -j1 -o "$TMP/j1.pdf"
"$IMPRINT" "$SPEECH" --style archival -j2 -o "$TMP/j2.pdf"
ok "two runs give the same bytes" cmp -s "$UA" "$TMP/j1.pdf"
ok "--jobs 1 and 2 give the same bytes" cmp -s "$TMP/j1.pdf" "$TMP/j2.pdf"

# --attach
printf '<html><body>The page as saved.</body></html>\n' >"$TMP/page.html"
printf 'signature\n' >"$TMP/speech.asc"
"$IMPRINT" "$SPEECH" --style archival --attach "$TMP/page.html" --attach "$TMP/speech.asc" \
    -o "$TMP/att.pdf"
qpdf --list-attachments --verbose "$TMP/att.pdf" >"$TMP/att"
ok "--attach: page.html embedded" grep -q '^page.html ->' "$TMP/att"
ok "--attach: text/html" grep -q 'text/html' "$TMP/att"
ok "--attach: speech.asc embedded as a signature" grep -q 'application/pgp-signature' "$TMP/att"
qpdf --json "$TMP/att.pdf" >"$TMP/att.json"
eq "--attach: two supplements and the source" "2 1" \
    "$(grep -c '"/AFRelationship": "/Supplement"' "$TMP/att.json") $(grep -c '"/AFRelationship": "/Source"' "$TMP/att.json")"
eq "check-pdfa passes with attachments" 0 "$(status "$CHECK" "$TMP/att.pdf")"

# the option overrides the style; a-2u embeds no source
"$IMPRINT" "$SPEECH" --style archival --pdf-standard a-2u -o "$TMP/a2u.pdf"
eq "a-2u over the archival style: check-pdfa passes" 0 "$(status "$CHECK" "$TMP/a2u.pdf")"
ok "a-2u is what it claims" grep -q "against a-2u" "$TMP/out"
eq "a-2u embeds no file" "" "$(qpdf --list-attachments "$TMP/a2u.pdf" | grep -v 'no embedded files' || true)"
"$IMPRINT" "$SPEECH" --set document.pdf-standard=a-2b -o "$TMP/a2b.pdf"
eq "the style key alone: a-2b" 0 "$(status "$CHECK" "$TMP/a2b.pdf")"
ok "a-2b is what it claims" grep -q "against a-2b" "$TMP/out"

# CJK documents from Debian packages
cjk() { # NAME FILE SOURCE-COMMAND LANG
    eval "$3" >"$TMP/$1.txt"
    "$IMPRINT" "$TMP/$1.txt" -M "title=$1" --pdf-standard a-3u,ua-1 -o "$TMP/$1.pdf"
    eq "$1: check-pdfa passes a-3u,ua-1" 0 "$(status "$CHECK" "$TMP/$1.pdf")"
    ok "$1: /Lang $4" grep -Eq "^PASS .* lang: catalogue /Lang '$4'" "$TMP/out"
    squeeze <"$TMP/$1.txt" >"$TMP/$1-expect"
    structure "$TMP/$1.pdf" "$1" "$TMP/$1-expect"
    eq "$1: no text outside the tree but artifacts" "" "$("$STRUCT" --untagged "$TMP/$1.pdf")"
}
cjk japanese /usr/share/debian-reference/debian-reference.ja.txt.gz \
    "zcat /usr/share/debian-reference/debian-reference.ja.txt.gz | sed -n 1200,1320p" ja
cjk korean /usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz \
    "zcat /usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz | sed -n 400,520p" ko
cjk traditional /usr/share/debian-reference/debian-reference.zh-tw.txt.gz \
    "zcat /usr/share/debian-reference/debian-reference.zh-tw.txt.gz | sed -n 1200,1320p" zh-Hant

# a Markdown document with an image, links and a table (examples/press-release.md)
PR="$IMP_SOURCE_DIR/examples/press-release.md"
"$IMPRINT" "$PR" --pdf-standard a-3u,ua-1 -o "$TMP/pr.pdf"
eq "press release: check-pdfa passes a-3u,ua-1" 0 "$(status "$CHECK" "$TMP/pr.pdf")"
for clause in figures-alt link-tagged link-contents annotation-flags tab-order struct-tree \
              source-embedded; do
    ok "press release: $clause passes" grep -Eq "^PASS .* $clause:" "$TMP/out"
done
ok "press release: the figure's alternative text is the image's" \
    sh -c "'$STRUCT' '$TMP/pr.pdf' | grep -q 'Figure alt=每秒页数，四个版本 Pages per second of four releases'"
ok "press release: the source embedded as Markdown" \
    sh -c "qpdf --qdf --object-streams=disable '$TMP/pr.pdf' - | grep -aq '/Subtype /text#2fmarkdown'"
eq "press release: no text outside the tree but artifacts" "" "$("$STRUCT" --untagged "$TMP/pr.pdf")"

# refusals: exit 1, the rule named, no file
cp "$IMP_SOURCE_DIR/examples/press-release-chart.png" "$TMP/chart.png"
printf '# A chart\n\n![](chart.png)\n' >"$TMP/noalt.md"
eq "an image without alternative text under ua-1: refused" 1 \
    "$(status "$IMPRINT" "$TMP/noalt.md" --pdf-standard ua-1 -o "$TMP/noalt.pdf")"
ok "  naming §7.3 (got: $(cat "$TMP/err"))" grep -q 'PDF/UA-1 (ISO 14289-1 §7.3)' "$TMP/err"
ok "  no file" test ! -e "$TMP/noalt.pdf"
eq "  accepted under a-3u" 0 \
    "$(status "$IMPRINT" "$TMP/noalt.md" -q --pdf-standard a-3u -o "$TMP/noalt.pdf")"
printf 'A private character \356\200\200 in the text.\n\nMore text.\n' >"$TMP/pua.txt"
eq "a character no font has: refused under a-2u" 1 \
    "$(status "$IMPRINT" "$TMP/pua.txt" -M title=T --pdf-standard a-2u -o "$TMP/pua.pdf")"
ok "  naming the rule and the character" \
    grep -q 'PDF/A-2u (ISO 19005-2 §6.2.11.7.2): no font can show U+E000' "$TMP/err"
ok "  no file" test ! -e "$TMP/pua.pdf"
eq "  and under ua-1" 1 \
    "$(status "$IMPRINT" "$TMP/pua.txt" -M title=T --pdf-standard ua-1 -o "$TMP/pua.pdf")"
ok "  naming PDF/UA's rule" grep -q 'PDF/UA-1 (ISO 14289-1 §7.21.7)' "$TMP/err"
eq "  accepted under a-2b (an empty box, the character kept as text)" 0 \
    "$(status "$IMPRINT" "$TMP/pua.txt" -q --pdf-standard a-2b -o "$TMP/pua.pdf")"
printf 'no title here, only a line of text that is long enough, with a full stop.\n' \
    >"$TMP/untitled.txt"
eq "no title under ua-1: refused" 1 \
    "$(status "$IMPRINT" "$TMP/untitled.txt" -M title= --pdf-standard ua-1 -o "$TMP/u.pdf")"
ok "  naming §7.1 and how to give one" grep -q 'PDF/UA-1 (ISO 14289-1 §7.1).*-M title=' "$TMP/err"
ok "  no file" test ! -e "$TMP/u.pdf"
eq "an attachment under PDF/A-2: refused" 1 \
    "$(status "$IMPRINT" "$SPEECH" --pdf-standard a-2u --attach "$TMP/page.html" -o "$TMP/x.pdf")"
ok "  naming §6.8" grep -q 'PDF/A-2u (ISO 19005-2 §6.8)' "$TMP/err"
ok "  no file" test ! -e "$TMP/x.pdf"
eq "a missing attachment: refused" 1 \
    "$(status "$IMPRINT" "$SPEECH" --style archival --attach "$TMP/none.html" -o "$TMP/x.pdf")"
ok "  naming the file" grep -q 'none.html' "$TMP/err"
eq "an impossible combination: exit 1" 1 \
    "$(status "$IMPRINT" "$SPEECH" --pdf-standard a-2b,a-3u -o "$TMP/x.pdf")"
ok "  saying why" grep -q "'a-2b' and 'a-3u' cannot be combined" "$TMP/err"
eq "an unknown standard: usage error" 2 \
    "$(status "$IMPRINT" "$SPEECH" --pdf-standard a-9x -o "$TMP/x.pdf")"
ok "  listing the known" grep -q "unknown PDF standard 'a-9x' (known: 1.7, a-2b" "$TMP/err"
eq "a bad value in a style: exit 1" 1 \
    "$(status "$IMPRINT" "$SPEECH" --set document.pdf-standard=a-1b -o "$TMP/x.pdf")"
ok "  naming the key and why" grep -q '\[document\] pdf-standard: .*a-1b' "$TMP/err"
ok "no file for any refusal" test ! -e "$TMP/x.pdf"

finish
