# Hostile structure for the layout of blocks (tests/hostile/gen.sh, blk-*), as Markdown: a
# table cell of 1 MB (its widths are measured on one setting, not on a layout broken at
# every opportunity), 100,000 numbered items (one scan for the widest number), 30,000
# headings six levels deep, numbered by the style, and a table of 1,000 columns (which no
# measure holds: reported, its cells set one under another).
# Each sets a PDF with its text; the ctest timeout catches a hang; tools/hostile-limits
# measures time and memory.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen blk-cell blk-items blk-headings blk-columns
O="$TMP/pdf"
mkdir -p "$O"

run "$IN/blk-cell.md" -o "$O/cell.pdf"
pdf_ok "a cell of 1 MB" "$O/cell.pdf"
has_text "a cell of 1 MB" "$O/cell.pdf" "wordanotherthingend"

run "$IN/blk-items.md" -o "$O/items.pdf"
pdf_ok "100,000 items" "$O/items.pdf"
has_text "100,000 items" "$O/items.pdf" "100000.item100000"

run --set headings.numbering=decimal "$IN/blk-headings.md" -o "$O/headings.pdf"
pdf_ok "30,000 numbered headings" "$O/headings.pdf"
has_text "30,000 numbered headings" "$O/headings.pdf" "heading30000text30000"

run "$IN/blk-columns.md" -o "$O/columns.pdf"
pdf_ok "1,000 columns" "$O/columns.pdf"
eq "1,000 columns: one warning" "imprint: $IN/blk-columns.md:1: warning: a table of 1000 columns is too wide for the measure of 379.8pt; its cells are set one under another, row by row" "$(cat "$TMP/err")"
inside "1,000 columns" "$O/columns.pdf"
has_text "1,000 columns" "$O/columns.pdf" "wordwordword"
finish
