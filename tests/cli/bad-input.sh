# Command-line tests: every bad input gives one clear message naming the file and the
# problem, exit status 1 (2 for usage errors), and leaves no output file behind.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"

# no_files DIR DESCRIPTION — DIR holds nothing but what was put there before
no_output() {
    eq "$2: no file left behind" "" "$(ls -A "$1" | grep -v '^input' || true)"
}

mkdir "$TMP/w"
expect 1 "$TMP/w/missing.txt: .*(No such file|not found)" "missing input" -- "$TMP/w/missing.txt" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "missing input"

mkdir "$TMP/w/input-dir"
expect 1 "input-dir: .*directory" "directory input" -- "$TMP/w/input-dir" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "directory input"
rmdir "$TMP/w/input-dir"

if [ "$(id -u)" -ne 0 ]; then
    printf 'text\n' >"$TMP/w/input-locked.txt"; chmod 000 "$TMP/w/input-locked.txt"
    expect 1 "input-locked.txt: .*(ermission|cannot)" "unreadable input" -- "$TMP/w/input-locked.txt" -o "$TMP/w/x.pdf"
    no_output "$TMP/w" "unreadable input"
    rm -f "$TMP/w/input-locked.txt"
fi

: >"$TMP/w/input-empty.txt"
expect 1 "input-empty.txt: .*(empty|no text)" "empty input" -- "$TMP/w/input-empty.txt" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "empty input"

printf '   \n\t\n\302\240\n' >"$TMP/w/input-blank.txt"
expect 1 "input-blank.txt: .*(empty|no text)" "white space only" -- "$TMP/w/input-blank.txt" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "white space only"

printf 'good line\nsecond \377 line\n' >"$TMP/w/input-bad.txt"
expect 1 "input-bad.txt:2: .*invalid UTF-8.*byte offset 17" "invalid UTF-8" -- "$TMP/w/input-bad.txt" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "invalid UTF-8"

# a style file with an error: message names file and line
printf '[style]\nname=broken\n[page]\nsize=A4\nmargin-top=banana\n' >"$TMP/w/input-broken.style"
expect 1 "input-broken.style:5:.*margin-top" "style with a bad value" -- "$SPEECH" --style "$TMP/w/input-broken.style" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "style with a bad value"
printf '[style]\nname=typo\n[page]\nsise=A4\n' >"$TMP/w/input-typo.style"
expect 1 "input-typo.style:4:.*sise" "style with an unknown key" -- "$SPEECH" --style "$TMP/w/input-typo.style" -o "$TMP/w/x.pdf"
no_output "$TMP/w" "style with an unknown key"
expect 1 "no-such-style" "unknown style name" -- "$SPEECH" --style no-such-style -o "$TMP/w/x.pdf"
no_output "$TMP/w" "unknown style name"

# output in a missing folder, and in a folder we cannot write
expect 1 "$TMP/w/nowhere/x.pdf: .*" "output in a missing folder" -- "$SPEECH" -o "$TMP/w/nowhere/x.pdf"
no_output "$TMP/w" "output in a missing folder"
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$TMP/w/input-ro"; chmod 555 "$TMP/w/input-ro"
    expect 1 "input-ro/x.pdf: .*" "output in a read-only folder" -- "$SPEECH" -o "$TMP/w/input-ro/x.pdf"
    eq "read-only folder stays empty" "" "$(ls -A "$TMP/w/input-ro")"
    chmod 755 "$TMP/w/input-ro"; rmdir "$TMP/w/input-ro"
fi
# as root every folder is writable, but not /proc
expect 1 "/proc/imprint-test.pdf: .*" "output in an unwritable folder" -- "$SPEECH" -o /proc/imprint-test.pdf
ok "nothing left in /proc" test ! -e /proc/imprint-test.pdf
# as root every file is readable; drop to nobody for the unreadable-input case
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
        ! setpriv --reuid=65534 --regid=65534 --clear-groups "$IMPRINT" --version >/dev/null 2>&1; then
    echo "skipped: nobody cannot run $IMPRINT (a folder above it is closed to other users)"
elif [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    d=$(mktemp -d /tmp/imprint-ro.XXXXXX); chmod 755 "$d"
    printf 'text\n' >"$d/locked.txt"; chmod 000 "$d/locked.txt"
    set +e
    IMPRINT_DATADIR="$IMP_SOURCE_DIR" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$IMPRINT" "$d/locked.txt" -o "$d/x.pdf" >"$TMP/out" 2>"$TMP/err"; st=$?
    set -e
    eq "unreadable input: exit status" "1" "$st"
    ok "unreadable input: message names the file" grep -Eq "locked.txt: .*(ermission|cannot)" "$TMP/err"
    ok "unreadable input: no output" test ! -e "$d/x.pdf"
    rm -rf "$d"
fi

# output to a full device fails cleanly
if [ -w /dev/full ]; then
    set +e; "$IMPRINT" "$SPEECH" -o - >/dev/full 2>"$TMP/err"; st=$?; set -e
    eq "standard output on a full device: exit status" "1" "$st"
    ok "standard output on a full device: message" grep -Eq "imprint: .*(No space|write)" "$TMP/err"
fi

# usage errors: status 2
expect 2 "no INPUT" "no input" --
expect 2 "unknown option '--frobnicate'" "unknown option" -- --frobnicate "$SPEECH"
expect 2 "would both be written to" "the same input twice (one output)" -- "$SPEECH" "$SPEECH"

# an existing output is left untouched when a run fails
printf 'old\n' >"$TMP/w/keep.pdf"
expect 1 "input-bad.txt" "failed run over an existing output" -- "$TMP/w/input-bad.txt" -o "$TMP/w/keep.pdf"
eq "existing output untouched" "old" "$(cat "$TMP/w/keep.pdf")"
rm -f "$TMP/w/keep.pdf"

# standard input and standard output work
"$IMPRINT" - -o - <"$SPEECH" >"$TMP/stdout.pdf"
ok "stdin to stdout gives a PDF" sh -c "head -c 5 '$TMP/stdout.pdf' | grep -q '%PDF-'"
"$IMPRINT" "$SPEECH" -o "$TMP/file.pdf"
ok "stdout PDF is the same as the file" cmp -s "$TMP/stdout.pdf" "$TMP/file.pdf"
cp "$SPEECH" "$TMP/w/input-default.txt"
"$IMPRINT" "$TMP/w/input-default.txt"
ok "default output name is INPUT.pdf" test -s "$TMP/w/input-default.pdf"
ok "--version" sh -c "'$IMPRINT' --version | grep -q '^imprint 0.2.0$'"
for o in --output --style --set --format --page --dpi --jobs --strict --list-styles \
         --dump-style --from --encoding --metadata --quiet --verbose --version --help; do
    ok "--help mentions $o" sh -c "'$IMPRINT' --help | grep -q -- '$o'"
done
finish
