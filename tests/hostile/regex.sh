# A style whose reading rules backtrack without end on the input's lines: each rule that
# reaches PCRE's backtracking limit is reported once, with the line, and not applied to
# the rest of the input, so the run costs one limit per rule rather than one per line
# (47 ms each here: 3,000 lines and four rules would be 9 minutes). Every line is kept.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
O="$TMP/pdf"
mkdir -p "$O"
cat >"$IN/backtrack.style" <<'EOS'
[style]
name=backtrack
inherits=default
[reading]
masthead=(?<site>(a|aa)+)
breadcrumb=(?<section>(aa|a)+)
chrome=(a|aa)+;(aa|a)+;(a|a)+
notice-start=(a|aa|aaa)+
EOS
# 3,000 paragraphs of 990 a's and a '!', which no rule matches
yes "$(head -c 990 /dev/zero | tr '\0' a)!" | head -n 3000 | awk '{ print; print "" }' \
    >"$IN/backtrack.txt"
# (no running heads: the title, the first paragraph here, would repeat on every page)
run "$IN/backtrack.txt" --style "$IN/backtrack.style" --set header.left= --set header.right= \
    -o "$O/backtrack.pdf"
pdf_ok "rules that backtrack" "$O/backtrack.pdf"
eq "rules that backtrack: each reported once" 6 "$(grep -c 'warning: reading rule' "$TMP/err")"
ok "rules that backtrack: the report names file, line and rule" \
    grep -Fq 'backtrack.txt:1: warning: reading rule [reading] chrome (a|aa)+ gave up (backtracking limit reached)' "$TMP/err"
eq "rules that backtrack: every line kept" 3000 \
    "$(pdftotext "$O/backtrack.pdf" - | grep -c 'a!')"
run --strict "$IN/backtrack.txt" --style "$IN/backtrack.style" -o "$O/strict.pdf"
eq "rules that backtrack, --strict: exit status" 1 "$st"
ok "rules that backtrack, --strict: no output" test ! -e "$O/strict.pdf"
finish
