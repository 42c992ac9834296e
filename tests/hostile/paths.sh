# The output path cannot be turned against the user (issue 15): the path named is the file
# written. A symbolic link there is replaced, not followed (another user's link in /tmp
# to a file of root's made root replace that file); --follow-symlinks follows a link only
# as the kernel's fs.protected_symlinks would. A new file gets 0666 less the umask; a
# replaced file never keeps setuid or setgid, nor another owner's permissions. Devices,
# /dev/stdout, /proc, a missing folder and an empty name each get their own outcome.
# The cases with another user's files need root (CI runs as root): a second user is made
# with useradd for the run (or nobody is used) and the cases are skipped otherwise.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
umask 022
W="$TMP/w"
mkdir "$W"

# mode PATH — permission bits in octal; owner PATH — owning user's id.
mode() { stat -c %a "$1"; }
owner() { stat -c %u "$1"; }
is_pdf() { qpdf --check "$1" >/dev/null 2>&1; }
# nothing_left DESC DIR — no temporary file in DIR.
nothing_left() {
    eq "$1: no temporary file left" "" "$(ls -A "$2" | grep '^\..*\.imprint-' || true)"
}
FOLLOW=0
if "$IMPRINT" --help 2>&1 | grep -q -- '--follow-symlinks'; then FOLLOW=1; fi

# ---- the caller's own files --------------------------------------------------------------
# a new file: 0666 less the umask, which the kernel applies
(umask 027; "$IMPRINT" -q "$SPEECH" -o "$W/new.pdf")
eq "new file under umask 027: mode" 640 "$(mode "$W/new.pdf")"
(umask 077; "$IMPRINT" -q "$SPEECH" -o "$W/private.pdf")
eq "new file under umask 077: mode" 600 "$(mode "$W/private.pdf")"

# a file of ours: its bits stay, without setuid and setgid
printf old >"$W/mine.pdf"
chmod 6754 "$W/mine.pdf"
run "$SPEECH" -o "$W/mine.pdf"
pdf_ok "replacing a 6754 file of ours" "$W/mine.pdf"
eq "replacing a 6754 file of ours: mode" 754 "$(mode "$W/mine.pdf")"

# a link of ours to a file of ours: the link is replaced, its destination untouched
printf 'keep me' >"$W/dest.txt"
ln -s dest.txt "$W/link.pdf"
run "$SPEECH" -o "$W/link.pdf"
pdf_ok "-o a symbolic link" "$W/link.pdf"
ok "-o a symbolic link: it is now a file" test ! -L "$W/link.pdf"
eq "-o a symbolic link: its destination is untouched" "keep me" "$(cat "$W/dest.txt")"
if [ "$FOLLOW" = 1 ]; then
    ln -s dest.txt "$W/follow.pdf"
    run --follow-symlinks "$SPEECH" -o "$W/follow.pdf"
    pdf_ok "--follow-symlinks: writes the destination" "$W/dest.txt"
    ok "--follow-symlinks: the link stays" test -L "$W/follow.pdf"
fi

# ---- devices, open files, the kernel's file systems --------------------------------------
run "$SPEECH" -o /dev/null
eq "-o /dev/null: exit status" 0 "$st"
ok "-o /dev/null: still a device" test -c /dev/null
ln -s /dev/null "$W/null.pdf"
run "$SPEECH" -o "$W/null.pdf"
eq "-o a link to /dev/null: exit status" 0 "$st"
ok "-o a link to /dev/null: written through, the link stays" test -L "$W/null.pdf"
"$IMPRINT" -q "$SPEECH" -o /dev/stdout >"$W/stdout.pdf"
ok "-o /dev/stdout to a file: a complete PDF" is_pdf "$W/stdout.pdf"
ok "-o /dev/stdout: still a link" test -L /dev/stdout
"$IMPRINT" -q "$SPEECH" -o /dev/stdout | cat >"$W/pipe.pdf"
ok "-o /dev/stdout to a pipe: a complete PDF" is_pdf "$W/pipe.pdf"

run "$SPEECH" -o /proc/version
fails "-o /proc/version" "/proc/version: cannot write: /proc is a folder of the kernel's proc file system, where no file can be created or replaced" "$W/none"
run "$SPEECH" -o "$W/no/such/x.pdf"
fails "-o in a missing folder" "x.pdf: cannot write: the folder $W/no/such does not exist" "$W/none"
run "$SPEECH" -o "$W/x.pdf/"
fails "-o a name ending in /" "x.pdf/: cannot write: Is a directory" "$W/none"
# an empty name: refused (the command's usage error or the output's), never a crash
run "$SPEECH" -o ''
eq "-o '': a usage error" 2 "$st"
ok "-o '': no GLib or sanitizer message" \
    sh -c "! grep -Eq '(CRITICAL|WARNING) \\*\\*|runtime error|==[0-9]+==|Sanitizer' '$TMP/err'"
eq "-o '': one message" 1 "$(grep -c '^imprint:' "$TMP/err")"
nothing_left "-o ''" "$(pwd)"

# ---- another user's files in a sticky folder ---------------------------------------------
OTHER="" MADE=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    name="imptest$$"
    if command -v useradd >/dev/null 2>&1 &&
            useradd --system --no-create-home --shell /usr/sbin/nologin "$name" 2>/dev/null; then
        OTHER=$name MADE=$name
    elif id -u nobody >/dev/null 2>&1; then
        OTHER=nobody
    fi
fi
if [ -z "$OTHER" ]; then
    echo "skipped: another user's files need root, setpriv and useradd (or nobody)"
    finish
    exit $?
fi
OUID=$(id -u "$OTHER") OGID=$(id -g "$OTHER")
# like /tmp: a sticky, world-writable folder of root's (outside $TMP, which is 0700)
S=$(mktemp -d /tmp/imprint-sticky.XXXXXX)
chmod 1777 "$S"
trap 'rm -rf "$TMP" "$S"; [ -z "$MADE" ] || userdel "$MADE" 2>/dev/null || true' EXIT
as_other() { setpriv --reuid="$OUID" --regid="$OGID" --clear-groups "$@"; }
echo "second user: $OTHER ($OUID)"
# the build must be reachable by that user (a clone under a 0700 folder is not)
if ! as_other "$IMPRINT" --version >/dev/null 2>&1; then
    echo "skipped: $OTHER cannot run $IMPRINT (a folder above it is closed to other users)"
    finish
    exit $?
fi

# the attack: another user's link /tmp/report.pdf -> a file of root's
printf 'root secret' >"$TMP/secret"
as_other ln -s "$TMP/secret" "$S/report.pdf"
run "$SPEECH" -o "$S/report.pdf"
pdf_ok "another user's link in a sticky folder" "$S/report.pdf"
eq "another user's link: the file it pointed to is untouched" "root secret" "$(cat "$TMP/secret")"
ok "another user's link: replaced by a file" test ! -L "$S/report.pdf"
eq "another user's link: the new file is root's" 0 "$(owner "$S/report.pdf")"
eq "another user's link: a new file's mode" 644 "$(mode "$S/report.pdf")"
rm -f "$S/report.pdf"

# the same link to a device: replaced too, the device not written
as_other ln -s /dev/full "$S/full.pdf"
run "$SPEECH" -o "$S/full.pdf"
pdf_ok "another user's link to /dev/full" "$S/full.pdf"
rm -f "$S/full.pdf"

if [ "$FOLLOW" = 1 ]; then
    as_other ln -s "$TMP/secret" "$S/report.pdf"
    run --follow-symlinks "$SPEECH" -o "$S/report.pdf"
    fails "--follow-symlinks, another user's link in a sticky folder" \
        "report.pdf: cannot write: not following the symbolic link $S/report.pdf: it belongs to user $OUID, neither you nor the owner of the sticky, world-writable folder $S" \
        "$W/none"
    eq "--follow-symlinks refused: the file is untouched" "root secret" "$(cat "$TMP/secret")"
    ok "--follow-symlinks refused: the link stays" test -L "$S/report.pdf"
    nothing_left "--follow-symlinks refused" "$S"
    # the folder's owner's link is followed (the kernel's rule)
    chown "$OUID" "$S"
    run --follow-symlinks "$SPEECH" -o "$S/report.pdf"
    pdf_ok "--follow-symlinks, the folder owner's link" "$TMP/secret"
    chown 0 "$S"
    rm -f "$S/report.pdf"
else
    echo "skipped: --follow-symlinks (not an option of this imprint yet)"
fi

# another user's setuid file, where root may replace it: a file of root's, a new mode
as_other sh -c "printf old >'$S/theirs.pdf'; chmod 6755 '$S/theirs.pdf'"
run "$SPEECH" -o "$S/theirs.pdf"
pdf_ok "another user's 6755 file" "$S/theirs.pdf"
eq "another user's 6755 file: now root's" 0 "$(owner "$S/theirs.pdf")"
eq "another user's 6755 file: a new file's mode, no setuid" 644 "$(mode "$S/theirs.pdf")"

# the other user cannot replace root's file in the sticky folder: said before any work
cp "$SPEECH" "$S/in.txt"
chmod 644 "$S/in.txt"
printf old >"$S/roots.pdf"
set +e
IMPRINT_DATADIR="$IMP_SOURCE_DIR" as_other "$IMPRINT" "$S/in.txt" -o "$S/roots.pdf" \
    >"$TMP/out" 2>"$TMP/err"
st=$?
set -e
eq "the other user over root's file: exit status" 1 "$st"
eq "the other user over root's file: the message" \
    "imprint: $S/roots.pdf: cannot write: it belongs to user 0 and the folder $S is sticky: only that user or the folder's owner may replace it" \
    "$(cat "$TMP/err")"
eq "the other user over root's file: untouched" old "$(cat "$S/roots.pdf")"
nothing_left "the other user over root's file" "$S"
finish
