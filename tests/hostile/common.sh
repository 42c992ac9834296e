# common.sh — helpers for the hostile-input tests. Sourced after tests/lib.sh.
#
# Every run of imprint here must end one of two ways: exit 0 with a PDF that qpdf accepts,
# or exit 1 with one clear "imprint: ..." message and no output file. Anything else — a
# signal, a sanitizer report, a GLib critical or warning, another exit status — fails.

HOSTILE_DIR="$IMP_SOURCE_DIR/tests/hostile"
IN="$TMP/in"
mkdir -p "$IN"

# gen CASE... — writes $IN/CASE.txt (see gen.sh).
gen() {
    sh "$HOSTILE_DIR/gen.sh" "$IN" "$@"
}

# run ARGS... — runs imprint; sets $st, stdout in $TMP/out, stderr in $TMP/err.
run() {
    set +e
    "$IMPRINT" "$@" >"$TMP/out" 2>"$TMP/err"
    st=$?
    set -e
}

# sane DESC — the last run neither crashed nor let a GLib or sanitizer message out.
sane() {
    ok "$1: exit status is 0 or 1, not $st" test "$st" -eq 0 -o "$st" -eq 1
    # sanitizers print "runtime error" (UBSan) and "==PID==ERROR" (ASan, LSan)
    if grep -Eq '(CRITICAL|WARNING) \*\*|runtime error|==[0-9]+==|Sanitizer|Bail out|g_assert' \
            "$TMP/err"; then
        ok "$1: no GLib or sanitizer message (got: $(head -c 600 "$TMP/err"))" false
    fi
}

# pdf_ok DESC PDF — exit 0 and PDF is a PDF that qpdf --check passes.
pdf_ok() {
    sane "$1"
    eq "$1: exit status" 0 "$st"
    ok "$1: output exists" test -s "$2"
    if [ -s "$2" ]; then
        ok "$1: qpdf --check passes" sh -c "qpdf --check '$2' >/dev/null 2>&1"
        ok "$1: no temporary file left" \
            sh -c "! ls -A '$(dirname "$2")' | grep -q '^\\.'"
    fi
}

# fails DESC PATTERN PDF — exit 1, exactly one message and it matches PATTERN, no PDF.
fails() {
    sane "$1"
    eq "$1: exit status" 1 "$st"
    eq "$1: one line on stderr" 1 "$(wc -l <"$TMP/err" | tr -d ' ')"
    ok "$1: message matches '$2' (got: $(head -c 300 "$TMP/err"))" \
        grep -Eq "^imprint: .*$2" "$TMP/err"
    ok "$1: no output file" test ! -e "$3"
    ok "$1: no temporary file left" sh -c "! ls -A '$(dirname "$3")' | grep -q '^\\.'"
}

# body_text PDF — the text layer in reading order, without the running heads' page numbers
# (the default style's footers: "Page 3 of 26", "第 3 页，共 26 页", "第 3 頁，共 26 頁"),
# bidi control marks (pdftotext adds them around right-to-left runs), white space and
# hyphens (hyphenation may add some at line ends).
body_text() {
    pdftotext -enc UTF-8 "$1" - |
        LC_ALL=C sed 's/Page [0-9]* of [0-9]*//g; s/第 *[0-9]* *\(页\|頁\)，共 *[0-9]* *\(页\|頁\)//g' |
        LC_ALL=C sed 's/\xe2\x80[\x8e\x8f\xaa-\xae]//g; s/\xe2\x81[\xa6-\xa9]//g' |
        LC_ALL=C sed 's/\xe2\x80\x90//g' | tr -d -- '-' | squeeze
}

# plain FILE — FILE's characters as they should come out: no white space, no hyphens.
plain() {
    tr -d -- '-' <"$1" | squeeze
}

# has_text DESC PDF EXPECTED — the body text holds EXPECTED (no spaces or hyphens in it).
has_text() {
    body_text "$2" >"$TMP/got.txt"
    ok "$1: text layer holds '$(printf %s "$3" | head -c 80)' (got: $(head -c 300 "$TMP/got.txt"))" \
        grep -Fq -- "$3" "$TMP/got.txt"
}

# same_text DESC PDF INPUT — every character of INPUT is in the PDF's text layer, in order,
# and nothing else is (INPUT holds no running-head text).
same_text() {
    body_text "$2" >"$TMP/got.txt"
    plain "$3" >"$TMP/want.txt"
    ok "$1: text layer is the input, character for character ($(wc -c <"$TMP/want.txt") bytes wanted, $(wc -c <"$TMP/got.txt") got)" \
        cmp -s "$TMP/want.txt" "$TMP/got.txt"
}

# pages PDF — the page count.
pages() {
    pdfinfo "$1" | awk '/^Pages:/ { print $2 }'
}

# inside DESC PDF [x] [TAG] — every word of the text layer lies inside the text column
# (between the default style's left and right margins for language TAG, 1pt of tolerance)
# and, without "x", inside the page vertically.
inside() {
    left=$(style_pt default page margin-left "${4:-}")
    right=$(style_pt default page margin-right "${4:-}")
    pdftotext -bbox "$2" - | awk -v l="$left" -v r="$right" -v xonly="${3:-}" '
        function attr(s, name,   m) {
            if (match(s, name "=\"[^\"]*\"")) { m = substr(s, RSTART, RLENGTH)
                sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m + 0 }
            return -1 }
        /<page / { w = attr($0, "width"); h = attr($0, "height"); next }
        /<word / { n++
            if (attr($0, "xMin") < l - 1 || attr($0, "xMax") > w - r + 1 ||
                (xonly != "x" && (attr($0, "yMin") < 0 || attr($0, "yMax") > h))) {
                bad++; if (!first) first = $0 } }
        END { if (bad) { printf "%d of %d words outside, first: %s\n", bad, n, first; exit 1 } }
    ' >"$TMP/inside.txt" || true
    ok "$1: every word inside the text column ($(cat "$TMP/inside.txt"))" test ! -s "$TMP/inside.txt"
}
