# End-to-end: several inputs in one run (issue 14). A batch of the bundled speech, a
# Chinese document (Tang poems from Debian's fortunes-zh, /usr/share/games/fortunes/
# tang300.u8), a Markdown document and one bad input (invalid UTF-8):
#  - the good ones are written, each byte-identical to a one-document run, for --jobs 1
#    and 2, with the same messages in the same order;
#  - the bad one gets one message naming the file, no output; the summary line and exit 1;
#  - --report: JSON whose SHA-256s are the files';
#  - names: -o with several inputs, two inputs with one output, an output over an input are
#    refused (exit 2) before anything is written;
#  - --manifest as a list and as JSON Lines (per-document output, style, metadata);
#  - --shard K/N: 1/3, 2/3 and 3/3 cover a manifest exactly once;
#  - --pages: one file per page, each the one-page run's;
#  - --pdf-standard: a batch's and a kit's PDFs are finished to it, as a one-document run's;
#  - interrupted (SIGINT): the finished outputs stay, no temporary file is left.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
PY=/usr/bin/python3
cd "$TMP"

mkdir in
cp "$SPEECH" in/speech.txt
TANG=/usr/share/games/fortunes/tang300.u8
ok "fortunes-zh is installed" test -f "$TANG"
# (its colour escapes and fortune's % separators taken out)
{ echo "唐诗三首"; echo; head -n 60 "$TANG" | sed 's/\x1b\[[0-9;]*m//g' | tr -d '%'; } >in/tang.txt
# The Markdown document.
printf '# Notes on the symposium\n\nThe *campaign* had three aims:\n\n- protect IPR\n- stop fakes\n- build credit\n' >in/notes.md
MD=in/notes.md
printf 'Bad input\n\nA byte \377 that is not UTF-8.\n' >in/bad.txt
INPUTS="in/speech.txt in/tang.txt $MD in/bad.txt"
MDNAME=$(basename "$MD" | sed 's/\.[a-z]*$//')

# ---- the batch, against one-document runs ----
mkdir single
for f in in/speech.txt in/tang.txt "$MD"; do
    n=$(basename "$f" | sed 's/\.[a-z]*$//')
    "$IMPRINT" "$f" -o "single/$n.pdf" 2>>single.err
done
for j in 1 2; do
    set +e
    # shellcheck disable=SC2086
    "$IMPRINT" -j$j --output-dir "out$j" $INPUTS 2>"err$j" >"stdout$j"
    st=$?
    set -e
    sed -i '/^imprint: warning: --jobs /d' "err$j"
    eq "jobs $j: a batch with a bad input exits 1" 1 "$st"
    for n in speech tang "$MDNAME"; do
        ok "jobs $j: $n.pdf is the one-document run's, byte for byte" \
            cmp -s "single/$n.pdf" "out$j/$n.pdf"
    done
    ok "jobs $j: the bad input has no output" test ! -e "out$j/bad.pdf"
    ok "jobs $j: its message names it and the problem ($(cat "err$j"))" \
        grep -Eq '^imprint: in/bad.txt:[0-9]+: .*(UTF-8|invalid)' "err$j"
    eq "jobs $j: the summary line ends the run" "imprint: 3 written, 1 failed" "$(tail -n1 "err$j")"
    eq "jobs $j: two lines on standard error" 2 "$(wc -l <"err$j")"
    eq "jobs $j: nothing on standard output" "" "$(cat "stdout$j")"
    eq "jobs $j: no temporary file left" "" "$(find "out$j" -name '.*.imprint-*')"
done
ok "the messages are the same for any --jobs" cmp -s err1 err2
ok "Chinese text reaches the PDF" sh -c "pdftotext out2/tang.pdf - | grep -q '唐诗三首'"

# Outputs beside the inputs by default.
cp in/speech.txt in/tang.txt "$TMP/" && mkdir beside && mv "$TMP/speech.txt" "$TMP/tang.txt" beside/
"$IMPRINT" -q beside/speech.txt beside/tang.txt
ok "without --output-dir, each output is beside its input" \
    sh -c "cmp -s beside/speech.pdf single/speech.pdf && cmp -s beside/tang.pdf single/tang.pdf"

# ---- the report ----
set +e
# shellcheck disable=SC2086
"$IMPRINT" -q --output-dir rep --report report.json $INPUTS 2>/dev/null
set -e
ok "--report is JSON" $PY -c "import json; json.load(open('report.json'))"
ok "--report: each document's status, pages and SHA-256 are right" $PY - <<'EOF'
import hashlib, json, sys
r = json.load(open('report.json'))
assert r['written'] == 3 and r['failed'] == 1, r
docs = r['documents']
assert [d['position'] for d in docs] == [0, 1, 2, 3]
for d in docs:
    assert isinstance(d['seconds'], (int, float)) and d['seconds'] >= 0
    if d['input'] == 'in/bad.txt':
        assert d['status'] == 'failed' and 'in/bad.txt' in d['error'] and d['outputs'] == [], d
        continue
    assert d['status'] == 'written' and d['error'] is None and d['pages'] >= 1, d
    (o,) = d['outputs']
    data = open(o['path'], 'rb').read()
    assert hashlib.sha256(data).hexdigest() == o['sha256'] and len(data) == o['bytes'], o
EOF

# ---- names ----
expect 2 'o names one output' "-o with two inputs" -- in/speech.txt in/tang.txt -o x.pdf
mkdir -p a b && cp in/speech.txt a/doc.txt && cp in/tang.txt b/doc.txt
expect 2 'a/doc.txt and b/doc.txt would both be written to .*doc.pdf' \
    "two inputs with one output name" -- --output-dir same a/doc.txt b/doc.txt
ok "a refused batch writes nothing" test ! -e same
printf '{"input": "in/speech.txt", "output": "in/tang.txt"}\n{"input": "in/tang.txt"}\n' >over.jsonl
expect 2 'in/tang.txt: the output of in/speech.txt would be written over another' \
    "an output over another input" -- -f pdf --manifest over.jsonl
ok "the input it would have replaced is intact" cmp -s in/tang.txt beside/tang.txt

# ---- manifests ----
printf '# a list of inputs\nin/speech.txt\n\nin/tang.txt\n' >list.txt
"$IMPRINT" -q --manifest list.txt --output-dir man1
ok "a list manifest: both written as single runs" \
    sh -c "cmp -s man1/speech.pdf single/speech.pdf && cmp -s man1/tang.pdf single/tang.pdf"
cat >m.jsonl <<'EOF'
{"input": "in/speech.txt", "output": "press/speech-letter.pdf", "style": "letter", "metadata": {"title": "Speech in the letter style", "date": "2013-01-31"}}
{"input": "in/tang.txt", "output": "press/tang.pdf", "set": ["page.size=A5"]}
EOF
"$IMPRINT" -q --manifest - <m.jsonl
"$IMPRINT" -q -s letter -M "title=Speech in the letter style" -M date=2013-01-31 in/speech.txt -o ref-letter.pdf
"$IMPRINT" -q --set page.size=A5 in/tang.txt -o ref-a5.pdf
ok "JSON Lines: style and metadata per document" cmp -s press/speech-letter.pdf ref-letter.pdf
ok "JSON Lines: --set per document" cmp -s press/tang.pdf ref-a5.pdf
eq "JSON Lines: the title reached the PDF" "Speech in the letter style" \
    "$(pdfinfo press/speech-letter.pdf | sed -n 's/^Title: *//p')"
printf '{"input": "in/speech.txt"}\n{"input": "in/tang.txt", "ouptut": "x.pdf"}\n' >typo.jsonl
expect 1 'typo.jsonl:2: unknown key "ouptut"' "a misspelt key in a manifest" -- --manifest typo.jsonl
printf '{"input": "in/speech.txt"}\n{"input": \n' >broken.jsonl
expect 1 'broken.jsonl:2: not JSON' "a broken JSON line" -- --manifest broken.jsonl
ok "a manifest with an error writes nothing" test ! -e in/speech.pdf

# ---- shards ----
mkdir shard-in
for i in 1 2 3 4 5 6 7; do printf 'Document %s\n\nThe text of document %s.\n' "$i" "$i" >"shard-in/d$i.txt"; done
ls shard-in/*.txt >shards.txt
for k in 1 2 3; do
    "$IMPRINT" -q --manifest shards.txt --shard "$k/3" --output-dir shard-out --report "shard$k.json"
done
ok "shards 1/3, 2/3, 3/3 cover the manifest exactly once" $PY - <<'EOF'
import json
seen = []
for k in (1, 2, 3):
    r = json.load(open(f'shard{k}.json'))
    assert r['shard'] == f'{k}/3'
    for d in r['documents']:
        assert d['position'] % 3 == k - 1 and d['status'] == 'written'
        seen.append(d['input'])
assert sorted(seen) == [f'shard-in/d{i}.txt' for i in range(1, 8)], seen
EOF
eq "every shard's output is there" 7 "$(ls shard-out/*.pdf | wc -l)"

# ---- pages ----
"$IMPRINT" -q --pages all -f png --output-dir pages in/speech.txt
eq "--pages all: one PNG per page" "speech-001.png speech-002.png" "$(cd pages && echo *)"
"$IMPRINT" -q --page 2 in/speech.txt -o p2.png
ok "a page file is the one-page run's" cmp -s pages/speech-002.png p2.png
"$IMPRINT" -q --pages 2 -f svg --output-dir svgs in/speech.txt in/tang.txt 2>svg.err || true
ok "--pages 2 -f svg: the two-page document's page 2" test -s svgs/speech-002.svg
ok "--pages 2: a one-page document fails, named" grep -q 'in/tang.txt: page 2 requested, but the document has 1 page' svg.err
expect 2 "expected 'all' or pages" "--pages with a bad range" -- --pages 3-1 -f png in/speech.txt
expect 2 'pages writes PNG or SVG' "--pages for a PDF" -- --pages 1 in/speech.txt

# ---- PDF standards in a batch ----
# A batch and a kit finish each PDF to the standards asked for, as a one-document run does
# (they once wrote plain PDFs: the batch rendered without the finish stage).
for n in speech tang; do
    "$IMPRINT" -q --pdf-standard a-3u in/$n.txt -o std-$n.pdf
done
"$IMPRINT" -q -j2 --pdf-standard a-3u --output-dir std in/speech.txt in/tang.txt
for n in speech tang; do
    ok "--pdf-standard in a batch: $n.pdf is the one-document run's" cmp -s std-$n.pdf std/$n.pdf
done
ok "the batch's PDF says it is PDF/A-3u (XMP pdfaid)" \
    sh -c "pdfinfo -meta std/speech.pdf | grep -q 'pdfaid:part.*3'"
ok "the batch's PDF/A-3 embeds its input" \
    sh -c "pdfdetach -list std/speech.pdf | grep -q 'speech.txt'"
"$IMPRINT" -q --pdf-standard a-3u --kit kit-std in/speech.txt
ok "--pdf-standard in a kit: NAME.pdf is the one-document run's" cmp -s std-speech.pdf kit-std/speech.pdf

# ---- interrupted ----
mkdir many
for i in $(seq -w 1 80); do cp in/speech.txt "many/s$i.txt"; done
# (a background job of a script starts with SIGINT ignored: env gives it back its default)
env --default-signal=INT "$IMPRINT" -q -j2 --output-dir int many/*.txt &
pid=$!
n=0
while [ "$(ls int 2>/dev/null | grep -c '\.pdf$')" -lt 3 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
kill -INT $pid
set +e
wait $pid
st=$?
set -e
eq "an interrupted batch ends by SIGINT" 130 "$st"
done_n=$(ls int | grep -c '\.pdf$' || true)
ok "some outputs were finished before the interrupt ($done_n)" test "$done_n" -ge 3
ok "fewer than all were written (the interrupt came in time)" test "$done_n" -lt 80
eq "no temporary file is left" "" "$(find int -name '.*.imprint-*')"
bad=0
for f in int/*.pdf; do cmp -s "$f" single/speech.pdf || bad=$((bad + 1)); done
eq "every output left is complete (the one-document run's bytes)" 0 "$bad"

finish
