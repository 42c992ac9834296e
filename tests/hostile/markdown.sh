# Hostile Markdown (tests/hostile/gen.sh, md-*): 100,000 nested quotes and list markers,
# a thousand lists each inside the last, delimiter runs, unclosed brackets and links, a
# table row of 100,000 cells and 20,000 rows, 100,000 nested HTML tags, entities (control
# characters among them), front matter nested 500,000 deep, 40,000 headings whose ids must
# be told apart, a code line of a million tabs.
# Each is read by the Markdown reader through replay-read (the fuzz target: a first byte of
# 0x81 picks Markdown and checks the reader's invariants: a document or one error, UTF-8
# without control characters or noncharacters, spans inside their text), then set by
# imprint as a .md file: a PDF, or exit 1 with one message. The ctest timeout catches a
# hang; tools/hostile-limits measures time and memory (its big-md-* cases are 10 MB).
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
REPLAY="$IMP_BUILD_DIR/tests/replay-read"
for c in md-quotes md-lists md-emphasis md-brackets md-table md-html md-entities \
         md-frontmatter md-headings md-code; do
    gen "$c"
    { printf '\201'; cat "$IN/$c.txt"; } >"$IN/$c.fuzz"
    set +e
    "$REPLAY" "$IN/$c.fuzz" >"$TMP/out" 2>"$TMP/err"
    rst=$?
    set -e
    ok "$c: the Markdown reader's invariants hold (status $rst: $(tail -c 300 "$TMP/err"))" \
        test "$rst" -eq 0
    cp "$IN/$c.txt" "$IN/$c.md"
    run "$IN/$c.md" -o "$TMP/$c.pdf"
    if [ "$st" -eq 0 ]; then
        pdf_ok "$c" "$TMP/$c.pdf"
    else
        fails "$c" "$c.md" "$TMP/$c.pdf"
    fi
done
# the text of the deepest quote and list item is set
run "$IN/md-quotes.md" -o "$TMP/q.pdf"
has_text "100,000 nested quotes" "$TMP/q.pdf" "deepquote"
run "$IN/md-lists.md" -o "$TMP/l.pdf"
has_text "100,000 nested lists" "$TMP/l.pdf" "deepitem"
finish
