# 100,000 combining acute accents on one letter: one grapheme cluster of 200 KB. HarfBuzz's
# time grows with the square of a cluster's length, so runs of more than 30 marks are
# shaped in pieces (para.c, MAX_MARK_RUN); the run completes with a valid PDF and the text
# around it. The same for 100,000 Hebrew points (right to left) and Devanagari vowel signs
# (marks of combining class 0), and a million marks alone. The timeout of ctest catches a
# hang.
# pdftotext keeps at most 50,000 characters narrower than 3 points on a page (poppler's
# tiny-character limit), so after 100,000 accents it drops narrow ones like "." or "f":
# the text after them is checked without the full stop.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
gen combining
run "$IN/combining.txt" -o "$TMP/combining.pdf"
pdf_ok "100,000 combining marks" "$TMP/combining.pdf"
has_text "100,000 combining marks" "$TMP/combining.pdf" "Zalgo"
has_text "100,000 combining marks" "$TMP/combining.pdf" "Oneletter"
has_text "100,000 combining marks" "$TMP/combining.pdf" "andtheend"
# the pieces stack 30 accents high; across, they stay in the column
inside "100,000 combining marks" "$TMP/combining.pdf" x

# marks that repeat: 100,000 Hebrew points on an alef, 100,000 Devanagari vowel signs u
# after a consonant
marks() {
    printf 'Marks\n\nOne letter %s' "$1"
    yes "$2" | head -n 100000 | tr -d '\n'
    printf ' and the end.\n'
}
marks "$(printf '\327\220')" "$(printf '\326\260')" >"$IN/hebrew.txt"
marks "$(printf '\340\244\225')" "$(printf '\340\245\201')" >"$IN/devanagari.txt"
for c in hebrew devanagari; do
    run "$IN/$c.txt" -o "$TMP/$c.pdf"
    pdf_ok "100,000 $c marks" "$TMP/$c.pdf"
    has_text "100,000 $c marks" "$TMP/$c.pdf" "andtheend"
done

# a million marks and no letter at all: 33,334 pieces on one line of zero width, each a
# run of its own (finding a run's glyph offsets was quadratic in the runs of a line)
yes "$(printf '\314\201')" | head -n 1000000 | tr -d '\n' >"$IN/marks.txt"
echo >>"$IN/marks.txt"
run "$IN/marks.txt" -o "$TMP/marks.pdf"
pdf_ok "a million marks alone" "$TMP/marks.pdf"

# every mark reaches the text layer: 930 marks, 31 different ones in turn, so that no two
# identical marks are drawn at the same place (pdftotext drops such doubles) — a mark and
# its place within its piece of 30 never repeat
cyc=$(awk 'BEGIN { for (i = 0; i < 31; i++) printf "\314%c", 128 + i }')
{ printf 'Zalgo\n\nOne letter a'; yes "$cyc" | head -n 30 | tr -d '\n'
  printf ' and the end.\n'; } >"$IN/cycle.txt"
run "$IN/cycle.txt" -o "$TMP/cycle.pdf"
pdf_ok "930 different combining marks" "$TMP/cycle.pdf"
eq "930 different combining marks: all in the text layer" 930 \
    "$(pdf_text "$TMP/cycle.pdf" | LC_ALL=C tr -cd '\314' | wc -c | tr -d ' ')"
has_text "930 different combining marks" "$TMP/cycle.pdf" "andtheend."
finish
