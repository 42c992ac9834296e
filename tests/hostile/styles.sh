# Hostile style sheets: bytes that are not UTF-8, NUL bytes, a binary file. Each is refused
# with exit 1 and one message that names the file and line, is itself valid UTF-8, and says
# what is wrong; no output file.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
O="$TMP/pdf"
mkdir -p "$O"

# style NAME CONTENT(printf format) LINE DESCRIPTION — a bad style: refused at that line
style() {
    printf "$2" >"$IN/$1.style"
    run "$SPEECH" --style "$IN/$1.style" -o "$O/$1.pdf"
    fails "$4" "$1.style:$3: (invalid UTF-8|a NUL byte) at byte offset [0-9]+$" "$O/$1.pdf"
    ok "$4: the message is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$TMP/err" -o /dev/null
}
style value '[style]\nname=x\n[body]\nfont-family=Noto \223Serif\n' 4 "invalid UTF-8 in a value"
style group '[style]\nname=x\n[bo\223dy]\nfont-size=10pt\n' 3 "invalid UTF-8 in a group name"
style key '[style]\nname=x\n[body]\nfont-\223size=10pt\n' 4 "invalid UTF-8 in a key"
style regex '[style]\nname=x\n[reading]\nchrome=a\223b\n' 4 "invalid UTF-8 in a regex"
style nul '[style]\nname=x\0y\n[body]\nfont-size=10pt\n' 2 "a NUL byte"
style latin1 '# caf\351\n[style]\nname=x\n' 1 "Latin-1 in a comment"
# a noncharacter (valid UTF-8, never text: cairo refuses the PDF over it) in a template,
# from a file and from --set
printf '[style]\nname=x\ninherits=default\n[footer]\nleft=Source \357\277\277 x\n' >"$IN/nonchar.style"
run "$SPEECH" --style "$IN/nonchar.style" -o "$O/nonchar.pdf"
fails "a noncharacter in a style" "nonchar.style:5: noncharacter U\+FFFF at byte offset 53$" "$O/nonchar.pdf"
run "$SPEECH" --set "footer.left=a$(printf '\357\267\220')b" -o "$O/nonchar-set.pdf"
fails "a noncharacter in --set" "--set footer.left: noncharacter U\+FDD0 in the value$" "$O/nonchar-set.pdf"

gen png
cp "$IN/png.txt" "$IN/png.style"
run "$SPEECH" --style "$IN/png.style" -o "$O/png.pdf"
fails "a PNG as the style" "png.style:1: invalid UTF-8 at byte offset [0-9]+$" "$O/png.pdf"
# a style that inherits a bad one names the parent
printf '[style]\nname=child\ninherits=value.style\n' >"$IN/child.style"
run "$SPEECH" --style "$IN/child.style" -o "$O/child.pdf"
fails "inheriting a bad style" "value.style:4: invalid UTF-8 at byte offset 39$" "$O/child.pdf"

# A file that is not a style sheet, as a style or as a parent, is refused without a word
# of its content (inherits=/etc/shadow must not print a line of it).
printf 'root:$y$j9T$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' >"$IN/shadow"
run "$SPEECH" --style "$IN/shadow" -o "$O/shadow.pdf"
fails "a password file as the style" "shadow:1: not a style sheet" "$O/shadow.pdf"
ok "a password file as the style: nothing of it quoted" sh -c "! grep -q 'SECRET\|root' '$TMP/err'"
printf '[style]\nname=x\ninherits=%s\n' "$IN/shadow" >"$IN/inherits-shadow.style"
run "$SPEECH" --style "$IN/inherits-shadow.style" -o "$O/ishadow.pdf"
fails "inheriting a password file" "shadow:1: not a style sheet" "$O/ishadow.pdf"
ok "inheriting a password file: nothing of it quoted" sh -c "! grep -q 'SECRET\|root' '$TMP/err'"
run "$SPEECH" --style /etc/passwd -o "$O/passwd.pdf"
fails "/etc/passwd as the style" "/etc/passwd:1: not a style sheet" "$O/passwd.pdf"
# a byte-order mark at the start is no error (it used to be, with the invisible character
# in the message)
printf '\357\273\277[style]\nname=bom\ninherits=default\n' >"$IN/bom.style"
run "$SPEECH" --style "$IN/bom.style" -o "$O/bom.pdf"
pdf_ok "a style with a byte-order mark" "$O/bom.pdf"
finish
