# No memory leaks: a full render of the speech, the other formats, the hostile inputs with
# problems to report, and every failure path, under LeakSanitizer (registered as ctest
# leak/render in the sanitizer build only; tests/lsan.supp names the allowed library caches).
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
# full stacks, so the suppressions' function names match
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:fast_unwind_on_malloc=0"
echo "ASAN_OPTIONS=$ASAN_OPTIONS"
case $ASAN_OPTIONS in
*detect_leaks=1*) ;;
*) ok "leak checking is on (ASAN_OPTIONS has detect_leaks=1)" false ;;
esac
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
O="$TMP/pdf"
mkdir -p "$O"
gen bidi emoji uncovered controls formfeed url bad-utf8 png

# noleak STATUS DESC ARGS... — runs imprint; the status is STATUS and LSan found nothing.
noleak() {
    want=$1 desc=$2; shift 2
    run "$@"
    eq "$desc: exit status" "$want" "$st"
    if grep -q 'LeakSanitizer\|AddressSanitizer' "$TMP/err"; then
        ok "$desc: no leak (got: $(grep -A12 'leak of' "$TMP/err" | head -c 1500))" false
    fi
}

noleak 0 "speech, PDF (mofcom detected)" "$SPEECH" -o "$O/speech.pdf"
noleak 0 "speech, default style, PNG" "$SPEECH" -s default -f png -o "$O/speech.png"
noleak 0 "speech, letter style, SVG, page 2" "$SPEECH" -s letter --page 2 -o "$O/speech.svg"
noleak 0 "speech to standard output" "$SPEECH" -o -
noleak 0 "speech, --verbose, one job" "$SPEECH" -v -j 1 -o "$O/speech-v.pdf"
for c in bidi emoji uncovered controls formfeed url; do
    noleak 0 "$c" "$IN/$c.txt" -o "$O/$c.pdf"
done
noleak 1 "--strict refusal" --strict "$IN/uncovered.txt" -o "$O/strict.pdf"
noleak 1 "invalid UTF-8" "$IN/bad-utf8.txt" -o "$O/bad.pdf"
noleak 1 "binary input" "$IN/png.txt" -o "$O/png.pdf"
noleak 1 "missing input" "$IN/missing.txt" -o "$O/missing.pdf"
noleak 1 "unknown style" "$SPEECH" -s no-such-style -o "$O/x.pdf"
printf '[page]\nsise=A4\n' >"$IN/typo.style"
noleak 1 "style with an unknown key" "$SPEECH" -s "$IN/typo.style" -o "$O/x.pdf"
noleak 1 "bad --set" "$SPEECH" --set body.font-size=banana -o "$O/x.pdf"
noleak 1 "output in a missing folder" "$SPEECH" -o "$O/none/x.pdf"
noleak 1 "page out of range" "$SPEECH" -f png --page 99 -o "$O/x.png"
if [ -w /dev/full ]; then
    noleak 1 "output to /dev/full" "$SPEECH" -o /dev/full
fi
noleak 0 "--dump-style" --dump-style mofcom
noleak 0 "--list-styles" --list-styles
noleak 2 "usage error" --frobnicate
finish
