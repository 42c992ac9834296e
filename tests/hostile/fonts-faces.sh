# Damaged user fonts (issue 15): a face in fonts/user/ (or a --font-path folder) that
# FreeType cannot load, or whose metrics are absurd, is reported, naming the file and the
# problem, and not used. A copy of Noto Serif whose advance widths were all 0 was taken for
# the body text (a user's face wins over a shipped one of the same family) and gave piled-up
# glyphs with exit 0, even under --strict. The damaged copies are made here from the
# installed Noto Serif (fonts-noto-core) by patching its tables in place.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
SERIF=/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf
O="$TMP/pdf"
mkdir -p "$O"

# damage SRC DST HOW — a copy of the TrueType font SRC with one table patched (HOW):
# upem=N (head.unitsPerEm), advances0 (every hmtx advance), tall (hhea and OS/2 ascent and
# descent of 32000 units), flat (ascent and descent 0 everywhere), truncate (the first
# 4 KiB only).
cat >"$TMP/damage.py" <<'EOF'
import struct, sys
src, dst, how = sys.argv[1:4]
b = bytearray(open(src, 'rb').read())
tables = {}
for i in range(struct.unpack_from('>H', b, 4)[0]):
    tag, _, off, length = struct.unpack_from('>4sLLL', b, 12 + 16 * i)
    tables[tag.decode('latin-1')] = off
if how.startswith('upem='):
    struct.pack_into('>H', b, tables['head'] + 18, int(how[5:]))
elif how == 'advances0':
    for g in range(struct.unpack_from('>H', b, tables['hhea'] + 34)[0]):
        struct.pack_into('>H', b, tables['hmtx'] + 4 * g, 0)
elif how in ('tall', 'flat'):
    a, d = (32000, -32000) if how == 'tall' else (0, 0)
    struct.pack_into('>hh', b, tables['hhea'] + 4, a, d)
    struct.pack_into('>hh', b, tables['OS/2'] + 68, a, d)
    struct.pack_into('>HH', b, tables['OS/2'] + 74, max(a, 0), max(-d, 0))
elif how == 'truncate':
    b = b[:4096]
open(dst, 'wb').write(b)
EOF
damage() { python3 "$TMP/damage.py" "$1" "$2" "$3"; }

# The reference: the speech with the shipped fonts.
D="$TMP/data"
mkdir -p "$D"
cp -r "$IMP_SOURCE_DIR/styles" "$IMP_SOURCE_DIR/fonts" "$D/"
rm -rf "$D/fonts/user"
mkdir "$D/fonts/user"
trun() {
    set +e
    IMPRINT_DATADIR="$D" timeout -k 5 60 "$IMPRINT" "$@" >"$TMP/out" 2>"$TMP/err"
    st=$?
    set -e
}
trun "$SPEECH" -o "$O/ref.pdf"
pdf_ok "the shipped fonts" "$O/ref.pdf"

# one NAME HOW MESSAGE — fonts/user/ holds only NAME, Noto Serif damaged by HOW: the run
# completes with the warning MESSAGE (fixed text, after "NAME: warning: ") and the very
# bytes of the reference (the damaged face is not used); --strict fails with no output.
one() {
    rm -f "$D/fonts/user/"*
    damage "$SERIF" "$D/fonts/user/$1" "$2"
    trun "$SPEECH" -o "$O/$1.pdf"
    pdf_ok "$2" "$O/$1.pdf"
    ok "$2: says '$3' (got: $(head -c 400 "$TMP/err"))" \
        grep -Fq -- "$D/fonts/user/$1: warning: $3" "$TMP/err"
    eq "$2: one warning" 1 "$(grep -c warning "$TMP/err")"
    ok "$2: the face is not used (the reference's bytes)" cmp -s "$O/ref.pdf" "$O/$1.pdf"
    trun --strict "$SPEECH" -o "$O/strict-$1.pdf"
    sane "$2, --strict"
    eq "$2, --strict: exit status" 1 "$st"
    ok "$2, --strict: no output" test ! -e "$O/strict-$1.pdf"
}
one advances0.ttf advances0 \
    "face \"Noto Serif Regular\": every glyph's advance width is 0 (its glyphs would pile up on one spot); not used"
one tall.ttf tall \
    "face \"Noto Serif Regular\": its ascent and descent are absurd (32000 and 32000 at 1000 units per em); not used"
one flat.ttf flat \
    "face \"Noto Serif Regular\": its ascent and descent are absurd (0 and 0 at 1000 units per em); not used"
one upem0.ttf upem=0 "its units per em are 0 (OpenType allows 16 to 16384); skipped"
one upem.ttf upem=40000 "its units per em are 40000 (OpenType allows 16 to 16384); skipped"
one cut.ttf truncate "FreeType cannot load it"

# WOFF: FreeType reads it, but HarfBuzz (which measures text for Pango) does not, so it
# would set every glyph as missing. The WOFF 1.0 file is Noto Serif's tables compressed,
# as the format has them (zlib).
cat >"$TMP/woff.py" <<'EOF'
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
flavor, n = struct.unpack_from('>LH', b, 0)
recs = [struct.unpack_from('>4sLLL', b, 12 + 16 * i) for i in range(n)]
head, data, dirs = 44 + 20 * n, bytearray(), []
for tag, checksum, off, length in recs:
    raw = b[off:off + length]
    comp = zlib.compress(raw)
    comp = comp if len(comp) < length else raw
    dirs.append((tag, head + len(data), len(comp), length, checksum))
    data += comp + b'\0' * (-len(comp) % 4)
out = bytearray(head)
sfnt = 12 + 16 * n + sum((length + 3) & ~3 for _, _, _, length in recs)
struct.pack_into('>4sLLHHLHHLLLLL', out, 0, b'wOFF', flavor, head + len(data), n, 0, sfnt,
                 1, 0, 0, 0, 0, 0, 0)
for i, d in enumerate(dirs):
    struct.pack_into('>4sLLLL', out, 44 + 20 * i, *d)
open(sys.argv[2], 'wb').write(out + data)
EOF
rm -f "$D/fonts/user/"*
python3 "$TMP/woff.py" "$SERIF" "$D/fonts/user/serif.woff"
trun "$SPEECH" -o "$O/woff.pdf"
pdf_ok "a WOFF font" "$O/woff.pdf"
ok "a WOFF font: said" grep -Fq "serif.woff: warning: face \"Noto Serif Regular\": HarfBuzz, which measures text for Pango, cannot read it (Pango needs a plain TrueType or OpenType file, not WOFF); not used" "$TMP/err"
ok "a WOFF font: not used" cmp -s "$O/ref.pdf" "$O/woff.pdf"

# not a font at all, with a font's name: said; an empty one too
rm -f "$D/fonts/user/"*
printf 'not a font\n' >"$D/fonts/user/text.otf"
: >"$D/fonts/user/empty.ttf"
trun "$SPEECH" -o "$O/junk.pdf"
pdf_ok "files named as fonts that are none" "$O/junk.pdf"
ok "a text file named .otf: said" grep -Fq "text.otf: warning: FreeType cannot load it" "$TMP/err"
ok "an empty .ttf: said" grep -Fq "empty.ttf: warning: an empty file; skipped" "$TMP/err"
ok "files named as fonts that are none: not used" cmp -s "$O/ref.pdf" "$O/junk.pdf"

# the sound copy beside a damaged one: the damaged one is said and left out, the sound one
# used (it is the same face as the shipped one: same bytes out), no warning about it
rm -f "$D/fonts/user/"*
cp "$SERIF" "$D/fonts/user/good.ttf"
damage "$SERIF" "$D/fonts/user/zero.ttf" advances0
trun -v "$SPEECH" -o "$O/mixed.pdf"
pdf_ok "a sound and a damaged copy" "$O/mixed.pdf"
eq "a sound and a damaged copy: one warning" 1 "$(grep -c warning "$TMP/err")"
ok "a sound and a damaged copy: the damaged one named" grep -Fq "zero.ttf: warning:" "$TMP/err"
eq "a sound and a damaged copy: every glyph of the text is in the PDF" \
    "$(pdftotext "$O/ref.pdf" - | md5sum)" "$(pdftotext "$O/mixed.pdf" - | md5sum)"

# a damaged face in a --font-path folder: the same
rm -f "$D/fonts/user/"*
mkdir -p "$TMP/extra"
damage "$SERIF" "$TMP/extra/serif.ttf" advances0
trun --font-path "$TMP/extra" "$SPEECH" -o "$O/font-path.pdf"
pdf_ok "a damaged face in a --font-path folder" "$O/font-path.pdf"
ok "a damaged face in a --font-path folder: said" grep -Fq "$TMP/extra/serif.ttf: warning: face \"Noto Serif Regular\": every glyph's advance width is 0" "$TMP/err"
ok "a damaged face in a --font-path folder: not used" cmp -s "$O/ref.pdf" "$O/font-path.pdf"
finish
