# Every way a run can end leaves no temporary file (.NAME.imprint-XXXXXXXX) and the target
# either as it was or complete (issue 15): too little memory at every stage (ulimit -v: a
# failed allocation aborts or traps, Pango or fontconfig fault, libhyphen calls exit(1),
# a thread cannot be created), a file size limit (ulimit -f: a message naming the file,
# not a silent SIGXFSZ), and every signal that ends a process, sent at varied moments.
# SIGKILL is the one exception (README: "Temporary files").
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
gen han2m
ulimit -c 0 # the faults below would dump core
ASAN=0
if ldd "$IMPRINT" 2>/dev/null | grep -q libasan; then ASAN=1; fi

# (no variable `d` here: lib.sh's ok() sets it)

# left DIR — the temporary files in DIR, one a line (none: empty).
left() {
    ls -A "$1" | grep '^\..*\.imprint-' || true
}

# after DESC DIR — DIR holds t.pdf only, and t.pdf is the old one ("old") or a complete PDF.
after() {
    eq "$1: no temporary file left" "" "$(left "$2")"
    eq "$1: nothing else in the folder" "t.pdf" "$(ls -A "$2" | tr '\n' ' ' | sed 's/ $//')"
    if [ "$(head -c 3 "$2/t.pdf")" = old ]; then
        eq "$1: the old target is intact" old "$(cat "$2/t.pdf")"
    else
        ok "$1: the new target is complete (qpdf --check)" \
            sh -c "qpdf --check '$2/t.pdf' >/dev/null 2>&1"
    fi
}

# ---- too little memory -----------------------------------------------------------------
# Address-space limits from where the run cannot start to where it succeeds: it dies in
# reading, in Pango's font threads (GLib error, SIGTRAP), in fontconfig (SIGSEGV), in
# libhyphen (exit 1), in an allocation (SIGTRAP) or succeeds. (AddressSanitizer reserves
# terabytes of address space: there the limits say nothing, and this part is skipped.)
if [ "$ASAN" = 1 ]; then
    echo "skipped: ulimit -v under AddressSanitizer"
else
    n=0
    for input in "$SPEECH" "$IN/han2m.txt"; do
        for kb in 40000 60000 80000 100000 120000 140000 160000 180000 220000 300000 400000 \
                  450000 600000; do
            n=$((n + 1))
            w="$TMP/v$n"
            mkdir "$w"
            printf old >"$w/t.pdf"
            set +e
            (ulimit -v "$kb"; exec "$IMPRINT" -q --style default "$input" -o "$w/t.pdf") \
                >/dev/null 2>"$TMP/err"
            st=$?
            set -e
            echo "ulimit -v $kb, $(basename "$input"): status $st $(head -c 100 "$TMP/err" | tr '\n' ' ')"
            after "ulimit -v $kb on $(basename "$input") (status $st)" "$w"
            [ "$st" -ne 0 ] || ok "ulimit -v $kb: exit 0 means a PDF" \
                sh -c "head -c 5 '$w/t.pdf' | grep -q '%PDF-'"
        done
    done
fi

# ---- a file size limit -----------------------------------------------------------------
# (ulimit -f counts 512-byte blocks in sh: 40 is 20 KiB; the speech's PDF is ~90 KB)
for target in old new; do
    w="$TMP/f-$target"
    mkdir "$w"
    [ "$target" = new ] || printf old >"$w/t.pdf"
    set +e
    (ulimit -f 40; exec "$IMPRINT" -q "$SPEECH" -o "$w/t.pdf") >/dev/null 2>"$TMP/err"
    st=$?
    set -e
    eq "ulimit -f, $target target: exit status 1 (not SIGXFSZ)" 1 "$st"
    eq "ulimit -f, $target target: one message naming the file" \
        "imprint: $w/t.pdf: cannot write: File too large" "$(cat "$TMP/err")"
    eq "ulimit -f, $target target: no temporary file left" "" "$(left "$w")"
    if [ "$target" = old ]; then
        eq "ulimit -f: the old target is intact" old "$(cat "$w/t.pdf")"
    else
        ok "ulimit -f: no new target" test ! -e "$w/t.pdf"
    fi
done

# ---- signals ---------------------------------------------------------------------------
# Each signal is sent once the temporary file exists, after a delay that differs from
# signal to signal and run to run (0 to 0.9 s: opening fonts, setting paragraphs, drawing
# and writing pages of han2m, which takes about a second here). The process must end by
# that signal (under AddressSanitizer a SEGV, BUS or FPE is reported and ends by SIGABRT).
signum() { /bin/kill -l "$1"; } # (procps: name to number; dash's kill -l cannot)
delays="0 0.3 0.6 0.05 0.9 0.15 0.45"
i=0
killed=0
for sig in INT TERM HUP QUIT PIPE ALRM USR1 USR2 XCPU VTALRM SEGV BUS ABRT TRAP FPE ILL SYS; do
    for round in 1 2; do
        i=$((i + 1))
        delay=$(echo "$delays" | awk -v k="$i" '{ print $((k % NF) + 1) }')
        w="$TMP/s$i"
        mkdir "$w"
        printf old >"$w/t.pdf"
        # (a shell starts background jobs with SIGINT and SIGQUIT ignored: reset them all)
        env --default-signal "$IMPRINT" -q "$IN/han2m.txt" -o "$w/t.pdf" >/dev/null \
            2>"$TMP/err" &
        pid=$!
        while [ -z "$(left "$w")" ] && kill -0 "$pid" 2>/dev/null; do :; done
        sleep "$delay"
        sent=0
        kill -s "$sig" "$pid" 2>/dev/null && sent=1
        set +e; wait "$pid"; st=$?; set -e
        desc="SIG$sig after ${delay}s"
        if [ "$st" -eq 0 ]; then
            echo "$desc: the run had ended (exit 0) before the signal"
        else
            killed=$((killed + 1))
            want=$((128 + $(signum "$sig")))
            if [ "$ASAN" = 1 ] && [ "$st" -eq 134 ]; then
                case $sig in SEGV|BUS|FPE) want=134 ;; esac
            fi
            eq "$desc: ended by the signal (sent: $sent)" "$want" "$st"
        fi
        after "$desc" "$w"
    done
done
echo "$killed of $i runs ended by the signal"
ok "most runs were ended by the signal, not finished first ($killed of $i)" \
    test "$killed" -ge $((i * 2 / 3))
finish
