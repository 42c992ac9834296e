# Endless and oversized inputs end with exit 1 and one message naming the input, at once:
# imprint reads at most 16 MiB (file.h, IMP_FILE_MAX) and a style sheet at most 1 MiB, and
# draws PNG images of at most 150 million pixels (600 MB of memory).
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
O="$TMP/pdf"
mkdir -p "$O"

# endless input: a device that never ends
run /dev/zero -o "$O/zero.pdf"
fails "/dev/zero as input" "/dev/zero: too large \(more than 16 MiB\)" "$O/zero.pdf"

# a regular file over the limit (17 MiB of ordinary text), from a file and from a pipe
yes 'An ordinary line of text in an oversized input.' | head -c 17825792 >"$IN/big.txt"
run "$IN/big.txt" -o "$O/big.pdf"
fails "17 MiB input file" "big.txt: too large \(more than 16 MiB\)" "$O/big.pdf"
set +e; "$IMPRINT" - -o "$O/big-stdin.pdf" <"$IN/big.txt" >"$TMP/out" 2>"$TMP/err"; st=$?; set -e
fails "17 MiB on standard input" "standard input: too large \(more than 16 MiB\)" "$O/big-stdin.pdf"

# an endless style sheet, and one over 1 MiB
run "$SPEECH" --style /dev/zero -o "$O/zero-style.pdf"
fails "/dev/zero as the style" "/dev/zero: .*too large \(more than 1 MiB\)" "$O/zero-style.pdf"
{ printf '[style]\nname=huge\n'; yes '# a comment line' | head -c 1100000; } >"$IN/huge.style"
run "$SPEECH" --style "$IN/huge.style" -o "$O/huge-style.pdf"
fails "a 1 MiB style sheet" "huge.style: .*too large \(more than 1 MiB\)" "$O/huge-style.pdf"

# images too large to draw: A4 at 2400 dpi (557 million pixels, 2.2 GB), a 200-inch page
run "$SPEECH" -f png --dpi 2400 -o "$O/a4.png"
fails "A4 at 2400 dpi" "a4.png: a PNG of 19843 x 28063 pixels is too large \(at most 150 million\); at most 1245 dpi for this page" "$O/a4.png"
run "$SPEECH" --set page.size=200inx200in -f png -o "$O/huge.png"
fails "a 200-inch page as PNG" "huge.png: a PNG of 30000 x 30000 pixels is too large" "$O/huge.png"
finish
