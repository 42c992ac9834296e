# lib.sh — shared helpers for the shell tests. Sourced; expects IMPRINT and IMP_SOURCE_DIR
# from ctest's environment (tests/CMakeLists.txt).
set -eu
: "${IMPRINT:?run under ctest, which sets IMPRINT}"
: "${IMP_SOURCE_DIR:?run under ctest, which sets IMP_SOURCE_DIR}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

# ok DESCRIPTION COMMAND... — runs COMMAND; counts a failure with DESCRIPTION if it fails.
ok() {
    d=$1; shift
    CHECKS=$((CHECKS + 1))
    if "$@"; then :; else echo "FAIL: $d" >&2; FAILS=$((FAILS + 1)); fi
}

# eq DESCRIPTION EXPECTED ACTUAL
eq() {
    CHECKS=$((CHECKS + 1))
    if [ "$2" = "$3" ]; then :; else
        echo "FAIL: $1: expected '$2', got '$3'" >&2; FAILS=$((FAILS + 1)); fi
}

# finish — prints the tally and exits non-zero if any check failed.
finish() {
    echo "$((CHECKS - FAILS)) passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

# style_pt STYLE GROUP KEY [TAG] — a length from the resolved style, in points (number
# only); with TAG, its value for that language tag (key[TAG]=) where the style gives one.
style_pt() {
    "$IMPRINT" --dump-style "$1" | awk -F= -v g="[$2]" -v k="$3" -v kt="$3[${4:-}]" '
        function pt(v,   f) {
            f = 1
            if (v ~ /mm$/) f = 72 / 25.4; else if (v ~ /cm$/) f = 72 / 2.54
            else if (v ~ /in$/) f = 72
            sub(/[a-z]+$/, "", v); return v * f }
        /^\[/ { in_g = ($0 == g); next }
        in_g && $1 == k { plain = $2 }
        in_g && $1 == kt { tagged = $2 }
        END { v = tagged != "" ? tagged : plain; if (v != "") printf "%d\n", pt(v) }'
}

# pdf_text PDF [pdftotext options] — the text layer, raw content order.
pdf_text() {
    f=$1; shift
    pdftotext -raw -enc UTF-8 "$@" "$f" -
}

# squeeze — removes all white space (ASCII and U+00A0) from standard input.
squeeze() {
    sed 's/\xc2\xa0//g' | tr -d ' \t\r\n\f'
}

# golden NAME PNG — compares PNG with tests/golden/NAME.png; IMP_UPDATE_GOLDEN=1 rewrites
# the reference instead (review the new image before committing it).
golden() {
    ref="$IMP_SOURCE_DIR/tests/golden/$1.png"
    if [ "${IMP_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$2" "$ref"; echo "updated $ref"; return 0
    fi
    ok "golden image $1 exists" test -f "$ref"
    if [ -f "$ref" ]; then
        ok "page image $1 matches the reviewed reference" \
            "${PNGDIFF:?}" "$ref" "$2" 0.002 "$TMP/$1-diff.png"
    fi
}

# unhyphenate EXPECTED GOT_RAW [WORDS] — GOT_RAW (pdftotext -raw output, line ends kept) with
# the hyphens the layout added at line ends removed and all white space squeezed out, ready
# to compare with EXPECTED (a squeezed file). A "-" at a line end is taken as added only
# where EXPECTED has no "-" at that point, so the source's own hyphens are never removed.
# With WORDS, writes there each word that was joined (its letters on both sides of the
# break), one a line.
unhyphenate() {
    awk -v words="${3:-/dev/null}" '
        FNR == NR { e = e $0; next }
        { gsub(/\xc2\xa0|[ \t\r\f]/, ""); g = g $0 "\n" }
        END {
            n = length(g); i = 1
            for (j = 1; j <= n; j++) {
                c = substr(g, j, 1)
                if (c == "\n") continue
                if (c == "-" && substr(g, j + 1, 1) == "\n" && substr(e, i, 1) != "-") {
                    a = i - 1; while (a > 0 && substr(e, a, 1) ~ /[A-Za-z]/) a--
                    b = i; while (substr(e, b, 1) ~ /[A-Za-z]/) b++
                    print substr(e, a + 1, b - a - 1) > words
                    continue
                }
                out = out c; i++
            }
            printf "%s", out
        }' "$1" "$2"
}

# expect STATUS PATTERN DESCRIPTION -- ARGS... — runs imprint with ARGS and checks its exit
# status, that its message matches PATTERN (an extended regex), and that it printed one
# message: one line, or for a usage error (status 2) that line and "Try 'imprint --help'.".
expect() {
    want=$1 pat=$2 desc=$3; shift 4
    set +e
    "$IMPRINT" "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    set -e
    eq "$desc: exit status" "$want" "$got"
    ok "$desc: message matches '$pat' (got: $(head -c 300 "$TMP/err"))" grep -Eq "$pat" "$TMP/err"
    eq "$desc: one message" "1" "$(grep -c '^imprint:' "$TMP/err")"
    if [ "$want" = 2 ]; then
        eq "$desc: usage hint" "Try 'imprint --help'." "$(sed -n 2p "$TMP/err")"
        eq "$desc: two lines" "2" "$(wc -l <"$TMP/err")"
    else
        eq "$desc: one line" "1" "$(wc -l <"$TMP/err")"
    fi
}
