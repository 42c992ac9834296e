# Time bounds of the regexes a style can ask for (docs/styles.md, "Time bounds"): every
# line has a budget of steps, a rule that needs more gives up, is reported once (the
# style's file and line, the input's line) and is not applied again; detection the same.
# The time itself is not asserted (the suite's timeout catches a hang); the figures
# measured are in docs/styles.md.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
O="$TMP/pdf"
mkdir -p "$O"

# 1. Rules that backtrack without end on the input's lines: each reported once and not
# applied to the rest of the input, so the run costs one budget per rule rather than one
# per line (47 ms each before budgets: 3,000 lines and four rules would be 9 minutes).
# Every line is kept.
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
ok "rules that backtrack: the report names the input's line, the rule, the style's line" \
    grep -Fq "backtrack.txt:1: warning: reading rule [reading] chrome (a|aa)+ at $IN/backtrack.style:7 gave up (more than " "$TMP/err"
# the four rules run on every line share the line's budget of 32 + 24 x 991 steps
ok "rules that backtrack: the budget is the line's share" \
    grep -Fq "gave up (more than 5954 steps on a line of 991 bytes)" "$TMP/err"
ok "rules that backtrack: the masthead's report names its line" \
    grep -Fq "[reading] masthead (?<site>(a|aa)+) at $IN/backtrack.style:5 gave up" "$TMP/err"
eq "rules that backtrack: every line kept" 3000 \
    "$(pdftotext "$O/backtrack.pdf" - | grep -c 'a!')"
run --strict "$IN/backtrack.txt" --style "$IN/backtrack.style" -o "$O/strict.pdf"
eq "rules that backtrack, --strict: exit status" 1 "$st"
ok "rules that backtrack, --strict: no output" test ! -e "$O/strict.pdf"

# 2. The worst a rule can do without giving up: 16 MB of one-byte lines, on each of which
# the rule spends 50 of its 56 steps and then matches (so the line is dropped and the
# layout has nothing to do). It ends, with the text around it kept and nothing reported.
cat >"$IN/budget.style" <<'EOS'
[style]
name=budget
inherits=default
[reading]
chrome=(?:a?){3}(?:a?){2}b|a
EOS
{ printf 'Budget Title\n\nThe first paragraph stays.\n\n'; yes a | head -c 16000000
  printf '\nThe last paragraph stays.\n'; } >"$IN/budget.txt"
run "$IN/budget.txt" --style "$IN/budget.style" -o "$O/budget.pdf"
pdf_ok "16 MB of lines at the edge of the budget" "$O/budget.pdf"
eq "16 MB at the edge of the budget: no rule gave up" 0 "$(grep -c 'gave up' "$TMP/err" || true)"
eq "16 MB at the edge of the budget: the text kept" \
    "Budget Title The first paragraph stays. The last paragraph stays." \
    "$(pdftotext "$O/budget.pdf" - | grep -v '^Page \|^$' | tr '\n\f' '  ' | sed 's/  */ /g; s/ *$//')"

# 3. Detection: a style in the style folder whose detect rule backtracks on every line of
# the input (200 lines took 73 s before budgets, even with --style default, which looks
# for a site's reading rules). Reported once, with the style's file and line; the run goes
# on and is not that style's.
mkdir -p "$TMP/data/styles"
cp "$IMP_SOURCE_DIR"/styles/*.style "$TMP/data/styles/"
ln -s "$IMP_SOURCE_DIR/fonts" "$TMP/data/fonts"
printf '[style]\nname=evil\ninherits=default\n[reading]\n# backtracks on a line of a'"'"'s\ndetect=(a|aa)+\n' \
    >"$TMP/data/styles/aaa-evil.style"
yes "$(head -c 60 /dev/zero | tr '\0' a)!" | head -n 200 | awk '{ print; print "" }' \
    >"$IN/detect.txt"
for how in "--style default" ""; do
    set +e
    IMPRINT_DATADIR="$TMP/data" "$IMPRINT" -v "$IN/detect.txt" $how -o "$O/detect.pdf" \
        >"$TMP/out" 2>"$TMP/err"
    st=$?
    set -e
    pdf_ok "a detect rule that backtracks (${how:-no --style})" "$O/detect.pdf"
    eq "a detect rule that backtracks (${how:-no --style}): reported once" 1 \
        "$(grep -c 'detect rule' "$TMP/err")"
    ok "a detect rule that backtracks (${how:-no --style}): the style's file and line" \
        grep -Fq "$TMP/data/styles/aaa-evil.style:6: warning: [reading] detect rule (a|aa)+ gave up on line 1 of the input" "$TMP/err"
    ok "a detect rule that backtracks (${how:-no --style}): the default style is used" \
        grep -q "style: default" "$TMP/err"
    rm -f "$O/detect.pdf"
done
finish
