# Hostile font setups (issue 15): nothing in the font setup can make a run hang or read
# without end. A FIFO in fonts/user/ held the run for ever (FreeType opens every entry with
# a blocking open()); so did <include>/dev/zero</include> in fonts.conf (fontconfig read it
# to its end). Now each entry of a font folder that is not a regular file or folder (a
# FIFO, a device, a socket, a dangling or looping link, a link back up) and each include
# that is not a regular file (or a folder of [0-9]*.conf files) is skipped with a warning
# naming it, and the output is what it would be without it, byte for byte; --strict makes
# the warning an exit 1 with no output. Every run is under `timeout`, so a hang fails the
# test instead of stalling it.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
O="$TMP/pdf"
mkdir -p "$O"

# fresh — a new data folder $D (styles and fonts copied from the source tree), with an
# empty fonts/user/.
n=0
fresh() {
    n=$((n + 1))
    D="$TMP/data$n"
    mkdir -p "$D"
    cp -r "$IMP_SOURCE_DIR/styles" "$IMP_SOURCE_DIR/fonts" "$D/"
    rm -rf "$D/fonts/user"
    mkdir "$D/fonts/user"
}

# trun ARGS... — runs imprint on $D with a time limit (a hang is exit 124: not sane).
trun() {
    set +e
    IMPRINT_DATADIR="$D" timeout -k 5 60 "$IMPRINT" "$@" >"$TMP/out" 2>"$TMP/err"
    st=$?
    set -e
}

# The reference: the speech with the shipped setup.
fresh
trun "$SPEECH" -o "$O/ref.pdf"
pdf_ok "the shipped setup" "$O/ref.pdf"
eq "the shipped setup: no warning" "" "$(grep warning "$TMP/err" || true)"

# same_as_ref DESC PDF — the run gave exactly the reference's bytes (nothing else changed).
same_as_ref() {
    ok "$1: the same PDF as without it" cmp -s "$O/ref.pdf" "$2"
}

# warned DESC TEXT — the last run's messages hold TEXT (fixed string).
warned() {
    ok "$1: says '$2' (got: $(head -c 600 "$TMP/err"))" grep -Fq -- "$2" "$TMP/err"
}

# strict_fails DESC ARGS... — with --strict, exit 1, no output, the count of problems.
strict_fails() {
    d=$1; shift
    trun --strict "$@" -o "$O/strict.pdf"
    sane "$d, --strict"
    eq "$d, --strict: exit status" 1 "$st"
    ok "$d, --strict: no output" test ! -e "$O/strict.pdf"
    ok "$d, --strict: says why" grep -q -- "--strict writes no output" "$TMP/err"
}

# ---- entries of fonts/user/ that are not font files --------------------------------------
fresh
mkfifo "$D/fonts/user/evil.ttf"
trun "$SPEECH" -o "$O/fifo.pdf"
pdf_ok "a FIFO in fonts/user" "$O/fifo.pdf"
warned "a FIFO in fonts/user" "$D/fonts/user/evil.ttf: warning: a named pipe (FIFO), not a font file; skipped"
same_as_ref "a FIFO in fonts/user" "$O/fifo.pdf"
strict_fails "a FIFO in fonts/user" "$SPEECH"

fresh
mkfifo "$TMP/fifo$n"
ln -s "$TMP/fifo$n" "$D/fonts/user/to-fifo.otf"
ln -s /dev/zero "$D/fonts/user/zero.ttf"
ln -s /dev/null "$D/fonts/user/null.ttf"
ln -s nowhere "$D/fonts/user/dangling.ttf"
ln -s loop-b.ttf "$D/fonts/user/loop-a.ttf"
ln -s loop-a.ttf "$D/fonts/user/loop-b.ttf"
ln -s .. "$D/fonts/user/up"
mkdir -p "$D/fonts/user/deeper/still"
mkfifo "$D/fonts/user/deeper/still/pipe.ttf"
ln -s ../.. "$D/fonts/user/deeper/still/back"
python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" \
    "$D/fonts/user/sock.ttf"
printf 'These fonts are ours.\n' >"$D/fonts/user/README"
trun -v "$SPEECH" -o "$O/entries.pdf"
pdf_ok "links to a FIFO and devices, dangling and looping links, a socket" "$O/entries.pdf"
warned "a link to a FIFO" "to-fifo.otf: warning: a named pipe (FIFO), not a font file; skipped"
warned "a link to /dev/zero" "zero.ttf: warning: a character device, not a font file; skipped"
warned "a link to /dev/null" "null.ttf: warning: a character device, not a font file; skipped"
warned "a dangling link" "dangling.ttf: warning: a symbolic link to nothing; skipped"
warned "a loop of links" "loop-a.ttf: warning: a loop of symbolic links; skipped"
warned "a loop of links, the other" "loop-b.ttf: warning: a loop of symbolic links; skipped"
warned "a link to the folder above" "fonts/user/up: warning: a link back to a folder it is in; skipped"
warned "a FIFO two folders down" "deeper/still/pipe.ttf: warning: a named pipe (FIFO), not a font file; skipped"
warned "a link back two folders up" "deeper/still/back: warning: a link back to a folder it is in; skipped"
warned "a socket" "sock.ttf: warning: a socket, not a font file; skipped"
warned "a README is no font, and not a problem" "fonts/user/README: not a font; ignored"
eq "each entry once" 10 "$(grep -c 'warning:.*skipped' "$TMP/err")"
same_as_ref "links, devices, a socket, loops" "$O/entries.pdf"
strict_fails "links, devices, a socket, loops" "$SPEECH"

# the kernel's file systems: no fonts there, and some of their "regular" files block when
# read (/proc/kmsg); a folder of them, or a link to one of their files, is skipped
fresh
ln -s /proc/version "$D/fonts/user/version.ttf"
trun --font-path /proc --font-path /sys "$SPEECH" -o "$O/proc.pdf"
pdf_ok "--font-path /proc, /sys, a link to /proc/version" "$O/proc.pdf"
warned "--font-path /proc" "/proc: warning: a folder of the kernel's proc file system, not of fonts; skipped"
warned "--font-path /sys" "/sys: warning: a folder of the kernel's sysfs file system, not of fonts; skipped"
warned "a link to /proc/version" "version.ttf: warning: a file of the kernel's proc file system, not a font file; skipped"
same_as_ref "the kernel's file systems" "$O/proc.pdf"

# a README alone: no warning, --strict is content
fresh
printf 'OFL\n' >"$D/fonts/user/OFL.txt"
trun --strict "$SPEECH" -o "$O/readme.pdf"
pdf_ok "a README in fonts/user, --strict" "$O/readme.pdf"

# fonts/user/ itself a FIFO, or a link to /dev/zero: no hang; the folder is skipped
fresh
rmdir "$D/fonts/user"
mkfifo "$D/fonts/user"
trun "$SPEECH" -o "$O/user-fifo.pdf"
pdf_ok "fonts/user is a FIFO" "$O/user-fifo.pdf"
warned "fonts/user is a FIFO" "fonts/user: warning: cannot read this font folder (not a folder); skipped"
same_as_ref "fonts/user is a FIFO" "$O/user-fifo.pdf"

# ---- the configuration ----------------------------------------------------------------
# conf_insert TEXT — puts TEXT at the start of $D's fonts.conf <fontconfig> element.
conf_insert() {
    CONF="$D/fonts/fonts.conf"
    awk -v t="$1" '{ print } /^<fontconfig>$/ { print t }' "$CONF" >"$CONF.new"
    mv "$CONF.new" "$CONF"
}
conf_line() { grep -n -F -- "$1" "$D/fonts/fonts.conf" | head -n 1 | cut -d: -f1; }

fresh
conf_insert '<include>/dev/zero</include>'
trun "$SPEECH" -o "$O/zero.pdf"
pdf_ok "<include>/dev/zero</include>" "$O/zero.pdf"
warned "<include>/dev/zero</include>" "fonts.conf:$(conf_line /dev/zero): warning: include /dev/zero: a character device, not a configuration file; skipped"
same_as_ref "<include>/dev/zero</include>" "$O/zero.pdf"
strict_fails "<include>/dev/zero</include>" "$SPEECH"

fresh
mkfifo "$D/fonts/extra.conf"
mkdir "$D/fonts/conf.d"
mkfifo "$D/fonts/conf.d/10-pipe.conf"
printf '<fontconfig><alias><family>house</family><prefer><family>Noto Serif</family></prefer></alias></fontconfig>\n' \
    >"$D/fonts/conf.d/20-house.conf"
conf_insert '<include>extra.conf</include>
<include>conf.d</include>
<include ignore_missing="yes">/no/such.conf</include>'
trun "$SPEECH" --set body.font-family=house -o "$O/conf-fifo.pdf"
pdf_ok "an include that is a FIFO, a folder with one" "$O/conf-fifo.pdf"
warned "an include that is a FIFO (relative: beside fonts.conf)" "fonts.conf:$(conf_line extra.conf): warning: include $D/fonts/extra.conf: a named pipe (FIFO), not a configuration file; skipped"
warned "a FIFO in an included folder" "fonts.conf:$(conf_line conf.d): warning: include $D/fonts/conf.d/10-pipe.conf: a named pipe (FIFO), not a configuration file; skipped"
eq "the folder's regular file is read (its alias known), a missing ignore_missing include is silent" \
    2 "$(grep -c warning "$TMP/err")"

# includes that loop, or include themselves: each file is read once
fresh
printf '<fontconfig><include>b.conf</include></fontconfig>\n' >"$D/fonts/a.conf"
printf '<fontconfig><include>a.conf</include><include>b.conf</include></fontconfig>\n' >"$D/fonts/b.conf"
conf_insert '<include>a.conf</include><include>fonts.conf</include>'
trun "$SPEECH" -o "$O/loop.pdf"
pdf_ok "includes that loop" "$O/loop.pdf"
eq "includes that loop: no warning" "" "$(grep warning "$TMP/err" || true)"
same_as_ref "includes that loop" "$O/loop.pdf"

# a large include: skipped, not read
fresh
head -c 2000000 /dev/zero | tr '\0' ' ' >"$D/fonts/big.conf"
conf_insert '<include>big.conf</include>'
trun "$SPEECH" -o "$O/big.pdf"
pdf_ok "an include of 2 MB" "$O/big.pdf"
warned "an include of 2 MB" "include $D/fonts/big.conf: larger than 1 MiB, which no font configuration is; skipped"

# a missing include (without ignore_missing), a password file, a DOCTYPE that declares
# entities: errors, and no word of the file quoted
fresh
conf_insert '<include>missing.conf</include>'
trun "$SPEECH" -o "$O/missing.pdf"
fails "a missing include" "fonts.conf:$(conf_line missing.conf): include $D/fonts/missing.conf: No such file or directory$" "$O/missing.pdf"
fresh
printf 'root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n' >"$D/fonts/shadow"
conf_insert '<include>shadow</include>'
trun "$SPEECH" -o "$O/shadow.pdf"
fails "a password file as an include" "shadow:1: not well-formed XML" "$O/shadow.pdf"
ok "a password file as an include: nothing of it quoted" sh -c "! grep -q 'SECRET\|root' '$TMP/err'"
fresh
printf '<?xml version="1.0"?>\n<!DOCTYPE fontconfig [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<fontconfig><dir>&b;</dir></fontconfig>\n' \
    >"$D/fonts/fonts.conf"
trun "$SPEECH" -o "$O/entities.pdf"
fails "a DOCTYPE with entities" "fonts.conf: its DOCTYPE declares entities or elements" "$O/entities.pdf"

# fonts.conf itself a FIFO or a link to /dev/zero: an error, at once
fresh
rm "$D/fonts/fonts.conf"
mkfifo "$D/fonts/fonts.conf"
trun "$SPEECH" -o "$O/conf-is-fifo.pdf"
fails "fonts.conf is a FIFO" "fonts.conf: the font configuration is a named pipe \(FIFO\), not a regular file$" "$O/conf-is-fifo.pdf"
rm "$D/fonts/fonts.conf"
ln -s /dev/zero "$D/fonts/fonts.conf"
trun "$SPEECH" -o "$O/conf-is-zero.pdf"
fails "fonts.conf is /dev/zero" "fonts.conf: the font configuration is a character device, not a regular file$" "$O/conf-is-zero.pdf"

# a <dir> that is a FIFO, and one with a FIFO in it: skipped (a configured folder that
# cannot be read is said nothing of, as fontconfig says nothing of a missing one)
fresh
mkfifo "$TMP/dir-fifo$n"
mkdir "$TMP/dir$n"
cp /usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf "$TMP/dir$n/"
mkfifo "$TMP/dir$n/pipe.ttf"
conf_insert "<dir>$TMP/dir-fifo$n</dir><dir>$TMP/dir$n</dir>"
trun -v "$SPEECH" --set body.font-family='Noto Sans Mono' -o "$O/dir-fifo.pdf"
pdf_ok "a <dir> that is a FIFO, and one with a FIFO in it" "$O/dir-fifo.pdf"
warned "a FIFO in a configured folder" "$TMP/dir$n/pipe.ttf: warning: a named pipe (FIFO), not a font file; skipped"
warned "the configured folder's font is used" "fonts: Noto Sans, Noto Sans CJK SC, Noto Sans Mono"
finish
