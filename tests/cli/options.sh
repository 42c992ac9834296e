# Command-line tests of option parsing (issue 15, "CLI habits" and "Options"): short
# options with their values attached as getopt tools take them; output names that disagree
# with the format; binary output to a terminal; numbers that are not numbers; --jobs
# capped; and the input options --from, --encoding and -M. Every usage error exits 2 with
# one message and the usage hint, and leaves no file behind.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
mkdir "$TMP/w"

# no_output DESCRIPTION — $TMP/w holds nothing but the inputs the test put there.
no_output() {
    eq "$1: no file left behind" "" "$(ls -A "$TMP/w" | grep -v '^input' || true)"
}

# -- getopt's spellings: -j2, -ofile, -sNAME, --opt=value; options after INPUT ----------
"$IMPRINT" --jobs 2 --output "$TMP/long.pdf" --style letter "$SPEECH"
"$IMPRINT" -j2 -o"$TMP/short.pdf" -sletter "$SPEECH"
ok "-j2 -oFILE -sNAME: the PDF of --jobs 2 --output FILE --style NAME" \
    cmp -s "$TMP/long.pdf" "$TMP/short.pdf"
"$IMPRINT" "$SPEECH" --jobs=2 --output="$TMP/equals.pdf" --style=letter
ok "--opt=value after INPUT: the same PDF" cmp -s "$TMP/long.pdf" "$TMP/equals.pdf"
"$IMPRINT" -qj1 -o "$TMP/bundled.pdf" -s letter "$SPEECH"
ok "bundled short options (-qj1)" cmp -s "$TMP/long.pdf" "$TMP/bundled.pdf"
cp "$SPEECH" "$TMP/w/-input.txt"
(cd "$TMP/w" && "$IMPRINT" -o ../dashdash.pdf -s letter -- -input.txt)
ok "-- ends the options (an INPUT named -input.txt)" cmp -s "$TMP/long.pdf" "$TMP/dashdash.pdf"
rm -f "$TMP/w/-input.txt"

# -- unknown options and missing or unwanted values ------------------------------------
expect 2 "unknown option '-x'" "unknown short option" -- -x "$SPEECH"
expect 2 "unknown option '--frobnicate'" "unknown long option" -- --frobnicate "$SPEECH"
expect 2 "option '-o' needs a value" "-o without a value" -- "$SPEECH" -o
expect 2 "option '--style' needs a value" "--style without a value" -- "$SPEECH" --style
expect 2 "option '--strict' takes no value" "--strict=yes" -- --strict=yes "$SPEECH"
expect 2 "no INPUT" "no input" --
expect 2 "would both be written to" "the same input twice (one output)" -- "$SPEECH" "$SPEECH"
expect 2 "imprint: --quiet and --verbose" "--quiet with --verbose" -- -q -v "$SPEECH"
expect 2 "imprint: --list-styles takes no INPUT" "--list-styles with an INPUT" -- --list-styles "$SPEECH"
expect 2 "imprint: --dump-style takes no INPUT" "--dump-style with an INPUT" -- --dump-style default "$SPEECH"

# -- the output's name and format ------------------------------------------------------
expect 2 "output name is empty" "-o ''" -- "$SPEECH" -o ''
no_output "-o ''"
expect 2 "x\.html: imprint writes PDF, PNG or SVG, not '\.html'" "-o x.html" \
    -- "$SPEECH" -o "$TMP/w/x.html"
no_output "-o x.html"
expect 2 "notes\.txt: imprint writes PDF, PNG or SVG, not '\.txt'" "-o notes.txt" \
    -- "$SPEECH" -o "$TMP/w/notes.txt"
no_output "-o notes.txt"
expect 2 "x\.pdf: the name says pdf but the format asked for is png" "-o x.pdf -f png" \
    -- "$SPEECH" -o "$TMP/w/x.pdf" -f png
no_output "-o x.pdf -f png"
expect 2 "x\.svg: the name says svg but the format asked for is pdf" "-o x.svg --format pdf" \
    -- "$SPEECH" -o "$TMP/w/x.svg" --format pdf
no_output "-o x.svg --format pdf"
expect 2 "imprint: --format must be pdf, png or svg, not 'html'" "--format html" \
    -- "$SPEECH" --format html -o "$TMP/w/x.pdf"
no_output "--format html"
"$IMPRINT" "$SPEECH" -o "$TMP/w/UPPER.PDF"
ok "an extension in capitals (.PDF) is a PDF" sh -c "head -c 5 '$TMP/w/UPPER.PDF' | grep -q '%PDF-'"
"$IMPRINT" "$SPEECH" -o "$TMP/w/no-extension"
ok "a name without an extension is a PDF" sh -c "head -c 5 '$TMP/w/no-extension' | grep -q '%PDF-'"
"$IMPRINT" "$SPEECH" -f png -o "$TMP/w/matching.png"
ok "-o x.png -f png agree" sh -c "head -c 4 '$TMP/w/matching.png' | grep -q 'PNG'"
rm -f "$TMP/w/UPPER.PDF" "$TMP/w/no-extension" "$TMP/w/matching.png"
# without -o, the default name takes the format's extension
cp "$SPEECH" "$TMP/w/input-speech.txt"
"$IMPRINT" -f png "$TMP/w/input-speech.txt"
ok "-f png without -o writes INPUT.png" test -s "$TMP/w/input-speech.png"
ok "... and no INPUT.pdf" test ! -e "$TMP/w/input-speech.pdf"
rm -f "$TMP/w/input-speech.png"

# -- binary output to a terminal is refused (gzip does the same); SVG is text ----------
if command -v script >/dev/null; then
    # script(1) runs the command with a terminal as its standard output
    tty_run() { script -qec "$1" /dev/null >"$TMP/tty.out" 2>&1; }
    set +e; tty_run "'$IMPRINT' '$SPEECH' -o -"; st=$?; set -e
    eq "PDF to a terminal: exit status" 2 "$st"
    ok "PDF to a terminal: says why" grep -q "standard output is a terminal: a PDF is not written" "$TMP/tty.out"
    ok "PDF to a terminal: no PDF on the terminal" sh -c "! grep -q '%PDF' '$TMP/tty.out'"
    set +e; tty_run "'$IMPRINT' - < '$SPEECH'"; st=$?; set -e
    eq "standard input to a terminal (no -o): exit status" 2 "$st"
    set +e; tty_run "'$IMPRINT' '$SPEECH' -f png -o -"; st=$?; set -e
    eq "PNG to a terminal: exit status" 2 "$st"
    ok "PNG to a terminal: says why" grep -q "a PNG is not written" "$TMP/tty.out"
    set +e; tty_run "'$IMPRINT' '$SPEECH' -o /dev/tty"; st=$?; set -e
    eq "PDF to /dev/tty: exit status" 2 "$st"
    ok "PDF to /dev/tty: says why" grep -q "/dev/tty is a terminal" "$TMP/tty.out"
    set +e; tty_run "'$IMPRINT' '$SPEECH' -f svg -o -"; st=$?; set -e
    eq "SVG to a terminal is allowed: exit status" 0 "$st"
    ok "SVG to a terminal: the SVG is there" grep -q "</svg>" "$TMP/tty.out"
fi
"$IMPRINT" "$SPEECH" -o - >"$TMP/piped.pdf"
ok "PDF to a pipe or file is written" sh -c "head -c 5 '$TMP/piped.pdf' | grep -q '%PDF-'"

# -- numbers: no NaN, infinity, signs, exponents or hexadecimal ------------------------
for v in nan NaN inf infinity -inf 1e3 0x10 -1 '' 12abc 1,5; do
    expect 2 "imprint: --dpi '$v': not a number" "--dpi '$v'" -- "$SPEECH" -f png --dpi "$v" -o "$TMP/w/x.png"
done
expect 2 "imprint: --dpi 5000: the resolution must be from 0 to 2400" "--dpi 5000" \
    -- "$SPEECH" -f png --dpi 5000 -o "$TMP/w/x.png"
for v in nan inf -1 1.5 1e2 0x2 ''; do
    expect 2 "imprint: --page '$v': not a whole number" "--page '$v'" -- "$SPEECH" --page "$v" -o "$TMP/w/x.pdf"
    expect 2 "imprint: --jobs '$v': not a whole number" "--jobs '$v'" -- "$SPEECH" --jobs "$v" -o "$TMP/w/x.pdf"
done
expect 2 "imprint: --page must be 1 or more" "--page 0" -- "$SPEECH" --page 0 -o "$TMP/w/x.pdf"
no_output "bad numbers"
"$IMPRINT" "$SPEECH" -f png --dpi 72.5 -o "$TMP/w/dpi.png"
ok "--dpi 72.5 is a number" test -s "$TMP/w/dpi.png"
rm -f "$TMP/w/dpi.png"

# -- --jobs above the cores (or 64) is capped with a warning; the PDF is the same ------
"$IMPRINT" "$SPEECH" -j 1 -o "$TMP/j1.pdf"
"$IMPRINT" "$SPEECH" -j 4096 -o "$TMP/j4096.pdf" 2>"$TMP/err"
ok "--jobs 4096: warns that it is capped" grep -Eq "^imprint: warning: --jobs 4096: using [0-9]+, the number of cores" "$TMP/err"
ok "--jobs 4096: the PDF of --jobs 1" cmp -s "$TMP/j1.pdf" "$TMP/j4096.pdf"
"$IMPRINT" "$SPEECH" -j 99999999999999999999 -o "$TMP/jhuge.pdf" 2>"$TMP/err"
ok "--jobs 99999999999999999999: capped" grep -q "^imprint: warning: --jobs" "$TMP/err"
"$IMPRINT" -q "$SPEECH" -j 4096 -o "$TMP/jq.pdf" 2>"$TMP/err"
eq "--jobs 4096 --quiet: no warning" "" "$(cat "$TMP/err")"

# -- --page: one page, for every format ------------------------------------------------
"$IMPRINT" "$SPEECH" --page 2 -o "$TMP/p2.pdf"
eq "--page 2 with PDF: one page" "1" "$(pdfinfo "$TMP/p2.pdf" | awk '/^Pages:/ { print $2 }')"
pdftotext -f 2 -l 2 "$TMP/j1.pdf" - | squeeze >"$TMP/p2-want"
pdftotext "$TMP/p2.pdf" - | squeeze >"$TMP/p2-got"
ok "--page 2 with PDF: page 2's text" cmp -s "$TMP/p2-want" "$TMP/p2-got"
expect 1 "page 3 requested, but the document has 2 pages" "--page 3 of 2" \
    -- "$SPEECH" --page 3 -o "$TMP/w/x.pdf"
no_output "--page 3 of 2"

# -- --from: the reader asked for wins over the name's extension -----------------------
printf 'A Title\n\nPlain text in a file named .md, with **stars** kept as they are.\n' \
    >"$TMP/w/input-notes.md"
"$IMPRINT" --from text "$TMP/w/input-notes.md" -o "$TMP/from.pdf"
ok "--from text: a .md file read as text (its stars kept)" \
    sh -c "pdftotext '$TMP/from.pdf' - | grep -q '\*\*stars\*\*'"
expect 2 "imprint: --from must be text, markdown or html, not 'pdf'" "--from pdf" \
    -- --from pdf "$TMP/w/input-notes.md" -o "$TMP/w/x.pdf"
no_output "--from pdf"

# -- --encoding: a name iconv does not know is a usage error ---------------------------
expect 2 "imprint: --encoding 'NO-SUCH-CODE': not an encoding" "--encoding NO-SUCH-CODE" \
    -- --encoding NO-SUCH-CODE "$SPEECH" -o "$TMP/w/x.pdf"
no_output "--encoding NO-SUCH-CODE"

# -- -M/--metadata KEY=VALUE: after reading, over what the reader found ----------------
"$IMPRINT" "$SPEECH" -M "title=A Title Given" --metadata "author=Jane Doe" -M lang=en \
    -o "$TMP/meta.pdf"
eq "-M title: the PDF's title" "A Title Given" "$(pdfinfo "$TMP/meta.pdf" | sed -n 's/^Title: *//p')"
eq "--metadata author: the PDF's author" "Jane Doe" "$(pdfinfo "$TMP/meta.pdf" | sed -n 's/^Author: *//p')"
"$IMPRINT" "$SPEECH" -o "$TMP/plain.pdf"
pdftotext "$TMP/plain.pdf" - | squeeze >"$TMP/plain.txt"
pdftotext "$TMP/meta.pdf" - | squeeze >"$TMP/meta.txt"
ok "-M title changes the metadata, not the text of the page" \
    sh -c "grep -q 'ViceMinisterJiangdeliveredaspeech' '$TMP/meta.txt'"
"$IMPRINT" "$SPEECH" -M "section=" -o "$TMP/nosection.pdf"
eq "-M section= removes the section the reader found (the PDF's subject)" "" \
    "$(pdfinfo "$TMP/nosection.pdf" | sed -n 's/^Subject: *//p')"
ok "... which the plain run has" sh -c "pdfinfo '$TMP/plain.pdf' | grep -q '^Subject: *Speeches'"
expect 2 "imprint: --metadata 'colour=red': unknown key 'colour' \(known: title, " "-M with an unknown key" \
    -- "$SPEECH" -M colour=red -o "$TMP/w/x.pdf"
expect 2 "imprint: --metadata 'title': expected KEY=VALUE" "-M without =" \
    -- "$SPEECH" -M title -o "$TMP/w/x.pdf"
no_output "-M errors"

finish
