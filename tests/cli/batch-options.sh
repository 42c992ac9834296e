# The batch options on the command line (issue 14): what goes together and what is a usage
# error (status 2, one message and the hint), and the progress line: drawn on a terminal
# (a pseudo-terminal from script(1)), redrawn in place and cleared at the end; absent when
# standard error is a pipe or a file, with -q and with --progress=never; forced with
# --progress=always.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
cd "$TMP"
cp "$SPEECH" a.txt
cp "$SPEECH" b.txt

# ---- usage errors ----
expect 2 'o names one output' "-o with two inputs" -- a.txt b.txt -o x.pdf
expect 2 'o names one output' "-o with a manifest" -- --manifest - -o x.pdf
expect 2 'o and --output-dir cannot be used together' "-o with --output-dir" -- -o x.pdf --output-dir d a.txt
expect 2 'o and --kit cannot be used together' "-o with --kit" -- -o x.pdf --kit k a.txt
expect 2 "shard '0/3': expected K/N" "--shard 0/3" -- --shard 0/3 a.txt
expect 2 "shard '4/3': expected K/N" "--shard 4/3" -- --shard 4/3 a.txt
expect 2 "shard '1': expected K/N" "--shard without N" -- --shard 1 a.txt
expect 2 "shard '-1/2': expected K/N" "--shard with a sign" -- --shard -1/2 a.txt
expect 2 "pages '1,1': page 1 is asked for twice" "--pages with a page twice" -- --pages 1,1 -f png a.txt
expect 2 "pages '2-,5': page 5 is asked for twice" "--pages overlapping an open range" -- --pages 2-,5 -f png a.txt
expect 2 "pages '0': expected 'all'" "--pages 0" -- --pages 0 -f png a.txt
expect 2 'page and --pages cannot be used together' "--page with --pages" -- --page 1 --pages 1 -f png a.txt
expect 2 'progress must be auto, always or never' "--progress=sometimes" -- --progress=sometimes a.txt
expect 2 'output-dir: the value is empty' "--output-dir ''" -- --output-dir '' a.txt
expect 2 "a batch reads and writes files" "- among several inputs" -- a.txt -
expect 2 'kit-index takes no INPUT' "--kit-index with an INPUT" -- --kit-index k a.txt
expect 2 'no INPUT given' "no INPUT and no manifest" -- --output-dir d
: >empty.list
expect 1 'empty.list:1: no inputs listed' "an empty manifest" -- --manifest empty.list
expect 1 'nothing.list: No such file' "a missing manifest" -- --manifest nothing.list
printf '["a.txt"]\n' >array.jsonl
printf 'a.txt\n{"input": "b.txt"}\n' >mixed.list
set +e
"$IMPRINT" --manifest mixed.list --output-dir m 2>mixed.err
st=$?
set -e
eq "a list manifest takes every line as a name: exit 1" 1 "$st"
ok "a list manifest takes every line as a name" grep -q '^imprint: {"input": "b.txt"}: No such file' mixed.err
printf '{"input": "a.txt", "metadata": {"colour": "red"}}\n' >meta.jsonl
expect 1 'meta.jsonl:1: "metadata": unknown key "colour"' "an unknown metadata key" -- --manifest meta.jsonl
printf '{"input": "a.txt", "from": "rtf"}\n' >from.jsonl
expect 1 "from.jsonl:1: \"from\": 'rtf' is not text" "an unknown \"from\"" -- --manifest from.jsonl
printf '{"input": 3}\n' >num.jsonl
expect 1 'num.jsonl:1: "input" must be given' "an input that is not a string" -- --manifest num.jsonl
ok "a usage error writes nothing" test ! -e a.pdf

# ---- one input in batch mode: no summary line ----
"$IMPRINT" --output-dir one a.txt 2>one.err
eq "one input with --output-dir: silent" "" "$(cat one.err)"
ok "one input with --output-dir: written" test -s one/a.pdf

# ---- progress ----
# run_tty ARGS...: runs imprint under a pseudo-terminal (script -q), its output in tty.log.
run_tty() {
    cmd="$IMPRINT"
    for a in "$@"; do cmd="$cmd '$a'"; done
    script -qec "$cmd" tty.log >/dev/null 2>&1 </dev/null || true
}
mkdir many
for i in $(seq -w 1 40); do cp "$SPEECH" "many/s$i.txt"; done
run_tty -j1 --output-dir p1 many/s01.txt many/s02.txt many/s03.txt many/s04.txt many/s05.txt \
    many/s06.txt many/s07.txt many/s08.txt many/s09.txt many/s10.txt many/s11.txt many/s12.txt \
    many/s13.txt many/s14.txt many/s15.txt many/s16.txt many/s17.txt many/s18.txt many/s19.txt \
    many/s20.txt many/s21.txt many/s22.txt many/s23.txt many/s24.txt many/s25.txt many/s26.txt \
    many/s27.txt many/s28.txt many/s29.txt many/s30.txt many/s31.txt many/s32.txt many/s33.txt \
    many/s34.txt many/s35.txt many/s36.txt many/s37.txt many/s38.txt many/s39.txt many/s40.txt
ok "on a terminal: a status line with documents, pages and pages per second" \
    grep -Eq 'imprint: [0-9]+/40 documents, [0-9,]+ pages, [0-9]+ pages/s' tty.log
ok "the status line says the time left" grep -Eq '[0-9]+:[0-9][0-9] left' tty.log
ok "it is redrawn in place (carriage return, erase to the end of the line)" \
    sh -c "tr '\r' '\n' <tty.log | grep -c 'documents, ' | awk '\$1 >= 2 { ok = 1 } END { exit !ok }'"
ok "it is cleared before the summary line" \
    sh -c "tr '\r' '\n' <tty.log | grep -q '^$(printf '\033')\\[Kimprint: 40 written, 0 failed'"
# a one-document run: pages set, then pages drawn
for i in $(seq 1 40); do cat "$SPEECH"; done >long.txt
run_tty -j1 long.txt -o long.pdf
ok "one long document: pages set or drawn" grep -Eq 'imprint: long.txt: [0-9,]+(/[0-9,]+)? pages (set|drawn)' tty.log
ok "one long document: the line is cleared at the end" /usr/bin/python3 -c "
import re
log = open('tty.log', 'rb').read()
last = max(log.rfind(b'pages drawn'), log.rfind(b'pages set'))
rest = log[last:]
assert re.search(rb'\r\x1b\[K(\r?\n|$)', rest), rest[:200]"

"$IMPRINT" -j1 --output-dir p2 many/*.txt 2>piped.err | cat
eq "piped: no status line, only the summary" "imprint: 40 written, 0 failed" "$(cat piped.err)"
run_tty -q -j1 --output-dir p3 many/s01.txt many/s02.txt many/s03.txt many/s04.txt
ok "-q on a terminal: no status line" sh -c "! grep -q 'documents, ' tty.log"
run_tty --progress=never -j1 --output-dir p4 many/s01.txt many/s02.txt many/s03.txt many/s04.txt
ok "--progress=never on a terminal: no status line" sh -c "! grep -q 'documents, ' tty.log"
"$IMPRINT" --progress=always -j1 --output-dir p5 many/*.txt 2>forced.err
ok "--progress=always to a file: the status line" grep -q 'documents, ' forced.err
ok "--progress=always: the status line is cleared before the summary" \
    sh -c "tr '\r' '\n' <forced.err | tail -n1 | grep -q 'imprint: 40 written, 0 failed'"
for f in p1 p2 p5; do
    ok "progress changes no output ($f)" cmp -s "$f/s01.pdf" p2/s01.pdf
done

finish
