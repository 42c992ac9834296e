# Command-line tests of fonts (issue 15): a family a style names that imprint's font setup
# does not have is a warning naming the style, group and key, with the nearest family the
# setup has ("Noto Serf": did you mean "Noto Serif"?) or, for a family installed outside
# the setup, its folder and --font-path; --strict makes it exit 1 with no output. It was
# silently replaced by another face. --font-path DIR (repeatable) adds a folder of fonts
# for the run, preferred to fonts/user/, which is preferred to the shipped fonts.
#
# Test fonts are copies of the installed Noto Serif (fonts-noto-core) with other names,
# patched in the name table (same lengths, so nothing else moves): family "Test Serif" is
# in no font setup until a folder holding it is added.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
SERIF=/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf
export XDG_CACHE_HOME="$TMP/cache" # fontconfig's caches of the test's folders go there

# rename DST FAMILY PSNAME — a copy of Noto Serif whose family (10 characters) and
# PostScript name (17) are FAMILY and PSNAME, in the name table's ASCII and UTF-16 strings.
cat >"$TMP/rename.py" <<'EOF'
import struct, sys
src, dst, family, ps = sys.argv[1:5]
b = bytearray(open(src, 'rb').read())
for i in range(struct.unpack_from('>H', b, 4)[0]):
    tag, _, off, length = struct.unpack_from('>4sLLL', b, 12 + 16 * i)
    if tag == b'name':
        t = bytes(b[off:off + length])
        for old, new in ((b'NotoSerif-Regular', ps.encode()), (b'Noto Serif', family.encode())):
            assert len(old) == len(new)
            t = t.replace(old, new).replace(old.decode().encode('utf-16-be'),
                                            new.decode().encode('utf-16-be'))
        b[off:off + length] = t
open(dst, 'wb').write(b)
EOF
rename() { python3 "$TMP/rename.py" "$SERIF" "$@"; }
mkdir -p "$TMP/a" "$TMP/b" "$TMP/user-font" "$TMP/path-font"
rename "$TMP/a/test.ttf" "Test Serif" TestSerif-Regular
rename "$TMP/b/test.ttf" "Test Serif" TestSerif-Alterna

# fonts_of PDF — the PostScript names of the PDF's fonts, sorted, without subset tags.
fonts_of() {
    pdffonts "$1" | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' | sort -u | tr '\n' ' '
}
# run_ok DESC ARGS... — runs imprint (exit 0 expected); stderr in $TMP/err.
run_ok() {
    d=$1; shift
    set +e
    "$IMPRINT" "$@" 2>"$TMP/err"
    st=$?
    set -e
    eq "$d: exit status" 0 "$st"
}

ok "--help lists --font-path" sh -c "'$IMPRINT' --help | grep -q -- '--font-path DIR'"

# ---- a family the setup lacks --------------------------------------------------------
run_ok "Test Serif without its folder" --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/none.pdf"
eq "Test Serif without its folder: one warning, naming the style, group and key" \
    "imprint: $IMP_SOURCE_DIR/styles/mofcom.style: warning: [body] font-family: no font family \"Test Serif\" in imprint's font setup, nor installed (another face stands in)" \
    "$(cat "$TMP/err")"
set +e
"$IMPRINT" --strict --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/strict.pdf" 2>"$TMP/err"
st=$?
set -e
eq "Test Serif without its folder, --strict: exit status" 1 "$st"
ok "Test Serif without its folder, --strict: no output" test ! -e "$TMP/strict.pdf"
ok "Test Serif without its folder, --strict: says why" \
    grep -q "1 problem reported; --strict writes no output" "$TMP/err"

# ---- --font-path ---------------------------------------------------------------------
run_ok "--font-path" --font-path "$TMP/a" --set 'body.font-family=Test Serif' "$SPEECH" \
    -o "$TMP/a.pdf"
eq "--font-path: no warning" "" "$(cat "$TMP/err")"
ok "--font-path: the folder's face sets the body ($(fonts_of "$TMP/a.pdf"))" \
    sh -c "pdffonts '$TMP/a.pdf' | grep -q TestSerif-Regular"
run_ok "--font-path=DIR" --font-path="$TMP/a" --strict --set 'body.font-family=Test Serif' \
    "$SPEECH" -o "$TMP/a-equals.pdf"
ok "--font-path=DIR: the same PDF" cmp -s "$TMP/a.pdf" "$TMP/a-equals.pdf"
run_ok "two --font-path" --font-path "$TMP/a" --font-path "$TMP/b" \
    --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/ab.pdf"
ok "two --font-path: the first folder's face wins ($(fonts_of "$TMP/ab.pdf"))" \
    sh -c "pdffonts '$TMP/ab.pdf' | grep -q TestSerif-Regular"
run_ok "two --font-path, the other order" --font-path "$TMP/b" --font-path "$TMP/a" \
    --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/ba.pdf"
ok "two --font-path, the other order: the other face ($(fonts_of "$TMP/ba.pdf"))" \
    sh -c "pdffonts '$TMP/ba.pdf' | grep -q TestSerif-Alterna"

expect 2 "imprint: --font-path $TMP/missing: not a folder of fonts \\(No such file or directory\\)$" \
    "--font-path of a missing folder" -- --font-path "$TMP/missing" "$SPEECH" -o "$TMP/x.pdf"
expect 2 "imprint: --font-path $SERIF: not a folder of fonts \\(not a folder\\)$" \
    "--font-path of a file" -- --font-path "$SERIF" "$SPEECH" -o "$TMP/x.pdf"
expect 2 "imprint: --font-path '': not a folder of fonts" "--font-path ''" -- \
    --font-path '' "$SPEECH" -o "$TMP/x.pdf"
expect 2 "option '--font-path' needs a value" "--font-path without a value" -- "$SPEECH" \
    --font-path
ok "no output from the refused runs" test ! -e "$TMP/x.pdf"

# ---- the order: --font-path, then fonts/user/, then the shipped fonts ------------------
D="$TMP/data"
mkdir -p "$D"
cp -r "$IMP_SOURCE_DIR/styles" "$IMP_SOURCE_DIR/fonts" "$D/"
mkdir -p "$D/fonts/user"
rename "$D/fonts/user/serif.ttf" "Noto Serif" UserSerif-Regular
rename "$TMP/path-font/serif.ttf" "Noto Serif" PathSerif-Regular
IMPRINT_DATADIR="$D" run_ok "a Noto Serif in fonts/user" "$SPEECH" -o "$TMP/user.pdf"
ok "a Noto Serif in fonts/user: it wins over the shipped one ($(fonts_of "$TMP/user.pdf"))" \
    sh -c "pdffonts '$TMP/user.pdf' | grep -q UserSerif-Regular"
IMPRINT_DATADIR="$D" run_ok "and one in a --font-path folder" --font-path "$TMP/path-font" \
    "$SPEECH" -o "$TMP/path.pdf"
ok "and one in a --font-path folder: that one wins ($(fonts_of "$TMP/path.pdf"))" \
    sh -c "pdffonts '$TMP/path.pdf' | grep -q PathSerif-Regular && ! pdffonts '$TMP/path.pdf' | grep -q UserSerif"

# ---- did you mean ----------------------------------------------------------------------
printf '[style]\nname=typo\ninherits=default\n[body]\nfont-family=Noto Serf\n' >"$TMP/typo.style"
run_ok "a misspelt family" --style "$TMP/typo.style" "$SPEECH" -o "$TMP/typo.pdf"
eq "a misspelt family: one warning (each family once, though every role takes the body's)" \
    "imprint: $TMP/typo.style: warning: [body] font-family: no font family \"Noto Serf\" in imprint's font setup (another face stands in); did you mean \"Noto Serif\"?" \
    "$(cat "$TMP/err")"
set +e
"$IMPRINT" --strict --style "$TMP/typo.style" "$SPEECH" -o "$TMP/typo-strict.pdf" 2>"$TMP/err"
st=$?
set -e
eq "a misspelt family, --strict: exit status" 1 "$st"
ok "a misspelt family, --strict: the warning, then why" sh -c \
    "head -n 1 '$TMP/err' | grep -q 'did you mean' && tail -n 1 '$TMP/err' | grep -q -- '--strict writes no output'"
ok "a misspelt family, --strict: no output" test ! -e "$TMP/typo-strict.pdf"
run_ok "a list with a misspelt fallback" --set 'h1.font-family-fallback=Noto Sans Symbols,Noto Sans Symbls2' \
    "$SPEECH" -o "$TMP/fallback.pdf"
ok "a list with a misspelt fallback: that one named, with its group and key" grep -Fq \
    "warning: [h1] font-family-fallback: no font family \"Noto Sans Symbls2\" in imprint's font setup (another face stands in); did you mean \"Noto Sans Symbols2\"?" \
    "$TMP/err"
eq "a list with a misspelt fallback: one warning" 1 "$(grep -c warning "$TMP/err")"

# names fontconfig matches are no problem: another case, no spaces, the generic names
run_ok "families as fontconfig matches them" --strict \
    --set 'body.font-family=NOTO SERIF' --set 'h1.font-family=NotoSans' \
    --set 'code.font-family=monospace' --set 'quote.font-family=serif' \
    --set 'footer.font-family=sans-serif' "$SPEECH" -o "$TMP/generic.pdf"
eq "families as fontconfig matches them: no warning" "" "$(cat "$TMP/err")"

# a family for one language only is checked when the document is in that language
printf '[style]\nname=ja\ninherits=default\n[body]\nfont-family-kana[ja]=Noto Serif CJK JQ\n' \
    >"$TMP/ja.style"
run_ok "a family for Japanese only, an English document" --strict --style "$TMP/ja.style" \
    "$SPEECH" -o "$TMP/ja-en.pdf"
run_ok "a family for Japanese only, a Japanese document" --style "$TMP/ja.style" -M lang=ja \
    "$SPEECH" -o "$TMP/ja-ja.pdf"
ok "a family for Japanese only, a Japanese document: said" grep -Fq \
    "[body] font-family-kana: no font family \"Noto Serif CJK JQ\" in imprint's font setup (another face stands in); did you mean \"Noto Serif CJK JP\"?" \
    "$TMP/err"

# ---- installed, but not in imprint's setup ------------------------------------------
# the system's fonts are what FONTCONFIG_FILE says: here a configuration with folder a/
printf '<fontconfig><dir>%s</dir><cachedir>%s</cachedir></fontconfig>\n' "$TMP/a" \
    "$TMP/cache/sys" >"$TMP/system.conf"
FONTCONFIG_FILE="$TMP/system.conf" run_ok "a family installed outside the setup" \
    --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/outside.pdf"
eq "a family installed outside the setup: where, and what to do" \
    "imprint: $IMP_SOURCE_DIR/styles/mofcom.style: warning: [body] font-family: font family \"Test Serif\" is installed (in $TMP/a) but not in imprint's font setup, so another face stands in: add its folder with --font-path" \
    "$(cat "$TMP/err")"
FONTCONFIG_FILE="$TMP/system.conf" run_ok "... with that folder as --font-path" --strict \
    --font-path "$TMP/a" --set 'body.font-family=Test Serif' "$SPEECH" -o "$TMP/outside2.pdf"
finish
