# End-to-end: the press kit (--kit DIR, issue 14). The bundled speech (a MOFCOM page with
# masthead, web chrome and notice), a Chinese document (Tang poems from Debian's
# fortunes-zh) and a short text, with one bad input:
#  - each document's NAME.pdf (the one-document run's bytes), NAME.png (page 1, 1200
#    pixels wide, not blank), NAME.txt (the body and the notice as read: every paragraph,
#    none of the chrome, no running heads) and NAME.json; the bad one has none;
#  - NAME.json and index.json valid against tests/schema/kit.schema.json
#    (python3-jsonschema), their hashes the files', their facts the reader's;
#  - index.html: HTML5 that html5lib parses in strict mode (it reports every parse error
#    of the WHATWG algorithm) and HTML Tidy passes with -errors (Debian has no Nu
#    validator), with no script, no remote resource, a link to every file, a responsive
#    and a print style sheet; opened in headless Chromium for a screenshot at phone and
#    desktop widths whose previews are drawn (the desktop one is kept in the test folder as
#    kit-desktop.png when IMP_KEEP_SCREENSHOTS is set, to look at);
#  - reproducible: a second run writes the same bytes; shards 1/2 and 2/2 with
#    --kit-index write the unsharded kit.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
SCHEMA="$IMP_SOURCE_DIR/tests/schema/kit.schema.json"
PY=/usr/bin/python3
cd "$TMP"

mkdir in
cp "$SPEECH" in/speech.txt
TANG=/usr/share/games/fortunes/tang300.u8
ok "fortunes-zh is installed" test -f "$TANG"
{ echo "唐诗三首"; echo; head -n 60 "$TANG" | sed 's/\x1b\[[0-9;]*m//g' | tr -d '%'; } >in/tang.txt
printf 'A short note\n\nIt has one paragraph & an ampersand <b>not markup</b>.\n' >in/note.txt
printf 'Bad\n\n\377\n' >in/bad.txt

set +e
"$IMPRINT" --kit kit in/speech.txt in/tang.txt in/note.txt in/bad.txt 2>err
st=$?
set -e
eq "a kit with a bad input exits 1" 1 "$st"
ok "the bad input is named" grep -q '^imprint: in/bad.txt:' err
eq "the summary line" "imprint: 3 written, 1 failed" "$(tail -n1 err)"
eq "the kit's files" "index.html index.json note.json note.pdf note.png note.txt speech.json speech.pdf speech.png speech.txt tang.json tang.pdf tang.png tang.txt" \
    "$(cd kit && echo *)"
eq "no temporary file" "" "$(find kit -name '.*.imprint-*')"

for n in speech tang note; do
    "$IMPRINT" -q "in/$n.txt" -o "$n-single.pdf"
    ok "$n.pdf is the one-document run's, byte for byte" cmp -s "$n-single.pdf" "kit/$n.pdf"
done

# ---- the previews ----
# png.py FILE: "WIDTH HEIGHT DARK TYPE": the size, the share (per mille) of pixels darker
# than mid-grey, and the colour type (2 RGB, 3 indexed, 6 RGBA), from the PNG itself (8-bit,
# as imprint, cairo and Chromium write). png.py A B: the largest difference of a channel
# between two images of one size.
cat >png.py <<'EOF'
import struct, sys, zlib
def pixels(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, ihdr, plte = 8, b'', None, None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
        if kind == b'PLTE': plte = body
        if kind == b'IDAT': idat += body
        pos += 12 + n
    w, h, depth, ctype = ihdr[:4]
    assert depth == 8 and ctype in (2, 3, 6), ihdr
    bpp = {2: 3, 3: 1, 6: 4}[ctype]
    raw, stride = zlib.decompress(idat), w * bpp
    prev, i, rgb = bytearray(stride), 0, bytearray()
    for y in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if ctype == 3:
            for k in line: rgb += plte[3 * k:3 * k + 3]
        else:
            for x in range(0, stride, bpp): rgb += line[x:x + 3]
        prev = line
    return w, h, ctype, bytes(rgb)
if len(sys.argv) == 3:
    a, b = pixels(sys.argv[1]), pixels(sys.argv[2])
    assert a[:2] == b[:2], (a[:2], b[:2])
    print(max(abs(x - y) for x, y in zip(a[3], b[3])))
else:
    w, h, ctype, rgb = pixels(sys.argv[1])
    dark = sum(1 for x in range(0, len(rgb), 3) if rgb[x] + rgb[x + 1] + rgb[x + 2] < 384)
    print(w, h, dark * 1000 // (w * h), ctype)
EOF
set -- $($PY png.py kit/speech.png)
eq "the preview is 1200 pixels wide" 1200 "$1"
eq "the preview has the page's proportions (A4)" 1697 "$2"
ok "the preview shows the page's text (dark pixels: $3 per mille)" test "$3" -ge 20
eq "the preview has a palette (the page's colours, rounded by at most 2 in 255)" 3 "$4"
# page 1 drawn as a PNG 1200 pixels wide (A4 is 595.2756 pt wide), exactly
"$IMPRINT" -q --dpi 145.142857 --page 1 in/speech.txt -o page1.png
set -- $($PY png.py page1.png)
eq "page 1 as a PNG of its own is 1200 pixels wide" 1200 "$1"
eq "page 1 as a PNG of its own is RGB (its 447 colours, exactly)" 2 "$4"
diff=$($PY png.py kit/speech.png page1.png)
ok "the preview is page 1, each channel within 2 of it (largest difference: $diff)" \
    test "$diff" -le 2

# ---- the text ----
txt=kit/speech.txt
ok "NAME.txt is UTF-8" iconv -f UTF-8 -t UTF-8 "$txt" -o /dev/null
ok "NAME.txt starts with the title" \
    sh -c "head -n1 $txt | grep -q '^Vice Minister Jiang delivered a speech at the symposium'"
ok "NAME.txt has the notice" grep -q 'Any reproduction or use by any other websites' "$txt"
for chrome in 'Release Comment' 'Big Medium-sized Small' 'Home> Speeches' 'MOFCOM | 简体中文版' 'Page 1'; do
    ok "NAME.txt has no chrome or running head: '$chrome'" sh -c "! grep -qF '$chrome' $txt"
done
ok "blocks are separated by blank lines" sh -c "sed -n 2p $txt | grep -q '^\$'"
# every paragraph of the body as read is in the PDF's text, and the other way round: the
# PDF's text (running heads and page numbers taken out) is the text file's
squeeze <"$txt" >txt.sq
pdf_text kit/speech.pdf >pdf.raw
unhyphenate txt.sq pdf.raw >pdf.sq
ok "every character of NAME.txt is in the PDF's text layer, in order" $PY - <<'EOF'
# hyphens aside: a word the layout hyphenated at a page's foot has the footer and the next
# page's running head between its halves, which unhyphenate (lib.sh) cannot join
t = open('txt.sq', encoding='utf-8').read().replace('-', '')
p = open('pdf.sq', encoding='utf-8').read().replace('-', '')
i = 0
for ch in t:
    j = p.find(ch, i)
    assert j >= 0, ('missing', t[max(0, t.index(ch) - 20):t.index(ch) + 20])
    i = j + 1
# what the PDF has beyond the text: the masthead, running heads, page numbers (few)
assert len(p) - len(t) < 300, len(p) - len(t)
EOF
ok "the Chinese text is in tang.txt" grep -q '唐诗三首' kit/tang.txt
ok "note.txt keeps '&' and '<b>' as text" grep -qF 'an ampersand <b>not markup</b>.' kit/note.txt

# ---- the facts ----
ok "NAME.json and index.json are valid against the schema" $PY - "$SCHEMA" <<'EOF'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
for f in ('speech', 'tang', 'note', 'index'):
    v.validate(json.load(open(f'kit/{f}.json')))
EOF
ok "the facts are the document's and the files'" $PY - <<'EOF'
import hashlib, json
d = json.load(open('kit/speech.json'))
assert d['title'].startswith('Vice Minister Jiang delivered a speech'), d['title']
assert d['site'] == 'MOFCOM' and d['section'] == 'Speeches', d
assert d['attribution'] == 'Source: Ministry of Commerce Website', d['attribution']
assert d['language'] == 'en' and d['pages'] == 2, d
text = open('kit/speech.txt', encoding='utf-8').read()
assert d['characters'] <= len(text) and d['characters'] > 4000, d['characters']
for role, f in d['files'].items():
    data = open('kit/' + f['name'], 'rb').read()
    assert hashlib.sha256(data).hexdigest() == f['sha256'] and len(data) == f['bytes'], role
t = json.load(open('kit/tang.json'))
assert t['language'].startswith('zh'), t['language']
i = json.load(open('kit/index.json'))
assert [x['name'] for x in i['documents']] == ['speech', 'tang', 'note']
assert i['created'] == '2023-11-14T22:13:20Z', i['created']   # SOURCE_DATE_EPOCH
assert i['documents'][0] == d
EOF

# ---- index.html ----
html=kit/index.html
ok "index.html parses as HTML5 without one error (html5lib, strict)" $PY -c "
import html5lib; html5lib.HTMLParser(strict=True).parse(open('$html', 'rb'))"
if command -v tidy >/dev/null; then
    ok "HTML Tidy finds no error or warning in index.html ($(tidy -errors -q $html 2>&1 | head -3))" \
        tidy -errors -q "$html"
else
    ok "HTML Tidy is installed (tools/setup --test)" false
fi
ok "index.html has no script" sh -c "! grep -qi '<script' $html"
ok "index.html loads nothing remote" sh -c "! grep -Eqi '(src|href)=\"(https?:)?//' $html"
for f in speech.pdf speech.png speech.txt speech.json tang.pdf note.json index.json; do
    ok "index.html links $f" grep -q "href=\"$f\"" "$html"
done
ok "index.html shows each preview" sh -c "grep -c '<img src=\"[a-z]*.png\"' $html | grep -qx 3"
ok "index.html escapes the text it shows" grep -qF 'an ampersand' kit/note.txt
ok "index.html has a phone layout and a print style" \
    sh -c "grep -q 'name=\"viewport\"' $html && grep -q '@media (max-width' $html && grep -q '@media print' $html"

# Headless Chromium (Debian's chromium) at a desktop and a phone width.
CHROMIUM=$(command -v chromium || true)
ok "chromium is installed (tools/setup --test)" test -n "$CHROMIUM"
if [ -n "$CHROMIUM" ]; then
    for view in desktop:1280,1000 phone:390,1600; do
        name=${view%%:*}
        profile=$(mktemp -d "$TMP/chromium.XXXXXX")
        timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
            --disable-background-networking --disable-component-update --disable-sync \
            --no-first-run --user-data-dir="$profile" --window-size="${view#*:}" \
            --screenshot="$TMP/kit-$name.png" "file://$TMP/$html" >/dev/null 2>&1 || true
        ok "Chromium took a screenshot ($name)" test -s "kit-$name.png"
        if [ -s "kit-$name.png" ]; then
            set -- $($PY png.py "kit-$name.png")
            ok "the $name screenshot shows text and previews ($3 per mille dark)" test "$3" -ge 5
        fi
    done
    if [ -n "${IMP_KEEP_SCREENSHOTS:-}" ]; then
        cp kit-desktop.png kit-phone.png "$IMP_KEEP_SCREENSHOTS"/ 2>/dev/null || true
    fi
fi

# ---- reproducible, and in shards ----
"$IMPRINT" -q --kit kit2 in/speech.txt in/tang.txt in/note.txt
ok "a second run writes the same kit, byte for byte" diff -r kit kit2
"$IMPRINT" -q --kit kit3 --shard 1/2 in/speech.txt in/tang.txt in/note.txt
"$IMPRINT" -q --kit kit3 --shard 2/2 in/speech.txt in/tang.txt in/note.txt
ok "a shard writes no index" test ! -e kit3/index.html
"$IMPRINT" --kit-index kit3
ok "--kit-index after the shards writes the unsharded kit's index" \
    sh -c "cmp -s kit3/index.json kit2/index.json && cmp -s kit3/index.html kit2/index.html"
expect 2 'kit and --output-dir' "--kit with --output-dir" -- --kit k --output-dir o in/note.txt
expect 2 'format, --page and --pages do not apply' "--kit with --format" -- --kit k -f png in/note.txt
mkdir empty
expect 1 'empty: no press kit documents' "--kit-index of a folder without a kit" -- --kit-index empty

finish
