# End-to-end: the checkers of PDF/A and PDF/UA (tools/check-pdfa, tools/preflight) on
# PDFs the finish stage wrote (test-finish --write-dir: an a-3u,ua-1 document with an
# image, a link, tags and its source embedded; an a-2b one; an a-2b one holding a glyph
# that stands for no character) and on imprint's plain output, which meets none of the
# standards: each tool must pass what the stage writes and fail what it does not, clause
# by clause. Two runs of the stage give byte-identical files.
. "$IMP_SOURCE_DIR/tests/lib.sh"
TEST_FINISH="$IMP_BUILD_DIR/tests/test-finish"
CHECK="$IMP_SOURCE_DIR/tools/check-pdfa"
PREFLIGHT="$IMP_SOURCE_DIR/tools/preflight"

mkdir "$TMP/a" "$TMP/b"
ok "test-finish writes the finished PDFs" "$TEST_FINISH" -q --write-dir="$TMP/a"
"$TEST_FINISH" -q --write-dir="$TMP/b"
for f in archival level-b notdef-a2b; do
    ok "$f.pdf written" test -s "$TMP/a/$f.pdf"
    ok "$f.pdf: two runs give byte-identical files (/ID from the content)" \
        cmp -s "$TMP/a/$f.pdf" "$TMP/b/$f.pdf"
done

# check-pdfa: exit status and the line of each clause
status() { set +e; "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; set -e; }
line() { grep -E "^$1 .* $2:" "$TMP/out" >/dev/null; }

eq "check-pdfa passes the a-3u,ua-1 file (claims read from its XMP)" 0 \
    "$(status "$CHECK" "$TMP/a/archival.pdf")"
ok "it is checked against what it claims" grep -q "against a-3u,ua-1" "$TMP/out"
for clause in header trailer-id xmp xmp-info info-dates pdfaid pdfuaid dc-title lang \
              output-intent interpolate javascript lzw external-streams encryption \
              fonts-embedded fonts-tounicode cidtogidmap notdef glyphs-unicode glyphs-fffd \
              annotation-flags link-contents tab-order embedded-files source-embedded \
              mark-info display-doc-title struct-tree figures-alt tagged-content page-labels; do
    ok "a-3u,ua-1: $clause passes" line PASS "$clause"
done
ok "transparency is N/A under PDF/A-3, saying why" \
    grep -Eq "^N/A .*transparency: 1 soft masks.*only PDF/A-1 \(ISO 19005-1 §6.4\) forbids" "$TMP/out"
eq "no clause fails" "0" "$(grep -c '^FAIL' "$TMP/out" || true)"

eq "check-pdfa passes the a-2b file" 0 "$(status "$CHECK" "$TMP/a/level-b.pdf")"
ok "level B: Unicode mapping is N/A" line N/A fonts-tounicode

eq "a glyph for no character fails a-2u" 1 \
    "$(status "$CHECK" --standard a-2u "$TMP/a/notdef-a2b.pdf")"
ok "  on glyphs-fffd" line FAIL glyphs-fffd
ok "  and on pdfaid (the file says a-2b)" line FAIL pdfaid
eq "  and passes a-2b, which it claims" 0 "$(status "$CHECK" "$TMP/a/notdef-a2b.pdf")"

# imprint's plain output: cairo's PDF meets none of it
"$IMPRINT" "$IMP_SOURCE_DIR/examples/speech.txt" -o "$TMP/plain.pdf"
eq "a plain PDF claims nothing: --standard is needed" 2 "$(status "$CHECK" "$TMP/plain.pdf")"
ok "  and the message says so" grep -q "claims no PDF/A-2, PDF/A-3 or PDF/UA-1" "$TMP/err"
eq "the plain PDF fails a-3u" 1 "$(status "$CHECK" --standard a-3u "$TMP/plain.pdf")"
for clause in trailer-id xmp info-dates pdfaid output-intent cidtogidmap source-embedded; do
    ok "plain: $clause fails" line FAIL "$clause"
done
for clause in header fonts-embedded fonts-tounicode glyphs-unicode lzw; do
    ok "plain: $clause passes" line PASS "$clause"
done
eq "a bad --standard is a usage error" 2 \
    "$(status "$CHECK" --standard a-2b,a-3u "$TMP/plain.pdf")"

# Preflight (PDF/A-1b): every finding on the stage's files is PDF/A-1's alone
eq "preflight: the a-3u file has no finding that applies" 0 \
    "$(status "$PREFLIGHT" "$TMP/a/archival.pdf")"
if [ "$(cat "$TMP/err")" != "" ]; then echo "preflight said: $(cat "$TMP/err")" >&2; fi
ok "  embedded files are A-1 only" grep -Eq "^A-1 ONLY +1.4.7 .*ISO 19005-3 §6.8" "$TMP/out"
ok "  transparency is A-1 only" grep -Eq "^A-1 ONLY +2.2.(1|2) " "$TMP/out"
ok "  the CIDSet is A-1 only" grep -Eq "^A-1 ONLY +3.1.11 " "$TMP/out"
ok "  part 3 and level U are A-1 only" grep -Eq "^A-1 ONLY +7.11.2 " "$TMP/out"
eq "  nothing applies" "0" "$(grep -c '^APPLIES' "$TMP/out" || true)"
eq "preflight: nor has the a-2b file" 0 "$(status "$PREFLIGHT" "$TMP/a/level-b.pdf")"
eq "preflight fails the plain PDF as a-2b" 1 \
    "$(status "$PREFLIGHT" --standard a-2b "$TMP/plain.pdf")"
ok "  no /ID applies" grep -Eq "^APPLIES +1.4.1 " "$TMP/out"
ok "  no metadata applies" grep -Eq "^APPLIES +7.1 " "$TMP/out"
finish
