# Output is all or nothing: a full device or a full file system gives exit 1, one message
# naming the output, and no file (nor temporary file) left behind; an existing output is
# left as it was; an interrupted run leaves nothing; and the output is never the input.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
gen paras50k

if [ -w /dev/full ]; then
    for input in "$SPEECH" "$IN/paras50k.txt"; do
        n=$(basename "$input")
        run "$input" -o /dev/full
        sane "$n to -o /dev/full"
        eq "$n to -o /dev/full: exit status" 1 "$st"
        eq "$n to -o /dev/full: one message" \
            "imprint: /dev/full: cannot write: No space left on device" "$(cat "$TMP/err")"
        set +e; "$IMPRINT" "$input" -o - >/dev/full 2>"$TMP/err"; st=$?; set -e
        sane "$n to standard output on /dev/full"
        eq "$n to standard output on /dev/full: exit status" 1 "$st"
        eq "$n to standard output on /dev/full: one message" \
            "imprint: standard output: cannot write: No space left on device" "$(cat "$TMP/err")"
    done
    # the default output name is not used when -o is a device: nothing beside the input
    ok "/dev/full: nothing written beside the input" test ! -e "$IN/paras50k.pdf"
else
    echo "skipped: /dev/full is not writable here"
fi

# the output may not be the input: that would replace the text with its PDF
cp "$SPEECH" "$IN/self.txt"
ln -s self.txt "$IN/self-link.txt"
ln "$IN/self.txt" "$IN/self-hard.txt"
for o in self.txt self-link.txt self-hard.txt; do
    run "$IN/self.txt" -o "$IN/$o"
    fails "-o $o, the input" "$o: is the input; choose another output" "$IN/none.pdf"
    ok "-o $o: the input is untouched" cmp -s "$SPEECH" "$IN/self.txt"
done
set +e; "$IMPRINT" - -o "$IN/self.txt" <"$IN/self.txt" >"$TMP/out" 2>"$TMP/err"; st=$?; set -e
fails "-o the file on standard input" "self.txt: is the input; choose another output" "$IN/none.pdf"
ok "-o the file on standard input: the input is untouched" cmp -s "$SPEECH" "$IN/self.txt"

# interrupted (SIGINT, SIGTERM, SIGHUP) while the output is being made: no temporary file
# is left, and the process still ends by that signal
gen latin5m
for sig in INT TERM HUP; do
    mkdir "$TMP/sig-$sig"
    # (a shell starts background jobs with SIGINT ignored: give it its default back)
    env --default-signal="$sig" "$IMPRINT" -q "$IN/latin5m.txt" -o "$TMP/sig-$sig/x.pdf" \
        2>"$TMP/err" &
    pid=$!
    # the temporary file appears before layout, which takes seconds for this input
    while [ -z "$(ls -A "$TMP/sig-$sig")" ] && kill -0 "$pid" 2>/dev/null; do :; done
    kill -s "$sig" "$pid" 2>/dev/null || true
    set +e; wait "$pid"; st=$?; set -e
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    eq "SIG$sig during the run: ended by the signal" "$want" "$st"
    eq "SIG$sig during the run: nothing left in the output folder" "" "$(ls -A "$TMP/sig-$sig")"
done

# A 64 KiB file system, mounted in a private mount namespace (so nothing outlives the
# test). Needs root and unshare; skipped where mounting is not permitted.
mkdir -p "$TMP/tiny"
cat >"$TMP/tiny.sh" <<EOS
set -u
mount -t tmpfs -o size=64k tmpfs "$TMP/tiny" || exit 77
printf 'old\n' >"$TMP/tiny/keep.pdf"
"$IMPRINT" "$SPEECH" -o "$TMP/tiny/new.pdf" 2>"$TMP/err-new"; echo \$? >"$TMP/st-new"
"$IMPRINT" "$SPEECH" -o "$TMP/tiny/keep.pdf" 2>"$TMP/err-keep"; echo \$? >"$TMP/st-keep"
cat "$TMP/tiny/keep.pdf" >"$TMP/kept"
ls -A "$TMP/tiny" >"$TMP/left"
EOS
set +e
unshare --mount --propagation private sh "$TMP/tiny.sh" 2>"$TMP/mount-err"
mst=$?
set -e
if [ "$mst" -eq 0 ]; then
    eq "full file system: exit status" 1 "$(cat "$TMP/st-new")"
    eq "full file system: one message" \
        "imprint: $TMP/tiny/new.pdf: cannot write: No space left on device" "$(cat "$TMP/err-new")"
    eq "full file system over an existing output: exit status" 1 "$(cat "$TMP/st-keep")"
    eq "full file system: the existing output is untouched" old "$(cat "$TMP/kept")"
    eq "full file system: no new or temporary file left" keep.pdf "$(cat "$TMP/left")"
else
    echo "skipped: cannot mount a small tmpfs here ($(head -c 200 "$TMP/mount-err"))"
fi
finish
