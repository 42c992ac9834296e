# Command-line tests of style sheets: --list-styles, --dump-style and loading the dump,
# a user style that inherits a shipped one, --set errors, and style-file errors. Every
# error exits 1 (a --set that is not group.key=value: 2, a usage error) with one message
# that names the file, the line and the key (or the --set option), and leaves no output
# file behind.
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"

# no_output DIR DESCRIPTION — DIR holds only the style files the test put there.
no_output() {
    eq "$2: no file left behind" "" "$(ls -A "$1" | grep -v '\.style$' || true)"
}

# bad_style DESCRIPTION PATTERN FILE-CONTENT — writes FILE-CONTENT to a style file named
# after the test and checks that using it fails with PATTERN (after "FILE:").
bad_style() {
    f="$TMP/w/$1.style"
    printf "$3" >"$f"
    expect 1 "^imprint: $f:$2" "$1" -- "$SPEECH" --style "$f" -o "$TMP/w/out.pdf"
    no_output "$TMP/w" "$1"
}

# --list-styles: the four shipped styles, in name order, each with the description its
# file gives.
"$IMPRINT" --list-styles >"$TMP/list"
eq "--list-styles: one line per shipped style" "4" "$(wc -l <"$TMP/list")"
eq "--list-styles: names in order" "archival default letter mofcom" \
    "$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }' "$TMP/list")"
for s in archival default letter mofcom; do
    desc=$(sed -n 's/^description=//p' "$IMP_SOURCE_DIR/styles/$s.style")
    ok "--list-styles: $s has a description" test -n "$desc"
    eq "--list-styles: $s line" "$s $desc" "$(grep "^$s " "$TMP/list" | tr -s ' ')"
done

# --dump-style: a complete style file that, loaded, gives the same PDF as the style.
"$IMPRINT" --dump-style mofcom >"$TMP/mofcom-dump.style"
ok "--dump-style mofcom: has [reading]" grep -q '^\[reading\]$' "$TMP/mofcom-dump.style"
ok "--dump-style mofcom: has no inherits" sh -c "! grep -q '^inherits' '$TMP/mofcom-dump.style'"
"$IMPRINT" "$SPEECH" --style mofcom -o "$TMP/by-name.pdf"
"$IMPRINT" "$SPEECH" --style "$TMP/mofcom-dump.style" -o "$TMP/by-dump.pdf"
ok "--style DUMP gives the PDF --style mofcom gives, byte for byte" \
    cmp -s "$TMP/by-name.pdf" "$TMP/by-dump.pdf"
"$IMPRINT" --dump-style "$TMP/mofcom-dump.style" >"$TMP/mofcom-dump2.style"
ok "the dump of a dump is the dump" cmp -s "$TMP/mofcom-dump.style" "$TMP/mofcom-dump2.style"
"$IMPRINT" --dump-style default --set page.size=A5 --set body.font-size=12pt >"$TMP/set.style"
ok "--dump-style with --set shows the override (size)" grep -qx 'size=A5' "$TMP/set.style"
ok "--dump-style with --set shows the override (font-size)" \
    sh -c "sed -n '/^\[body\]/,/^\[/p' '$TMP/set.style' | grep -qx 'font-size=12pt'"

# A user style in its own folder, inheriting a shipped style by name, and a second one
# inheriting the first by a path relative to its own folder; run from elsewhere.
mkdir -p "$TMP/mine/sub"
printf '# wider left margin for binding\n[style]\nname=wide\ninherits=default\n\n[page]\nmargin-left=40mm\n' \
    >"$TMP/mine/wide.style"
printf '[style]\ninherits=../wide.style\n\n[body]\nfont-size=12pt\n' >"$TMP/mine/sub/big.style"
"$IMPRINT" --dump-style default >"$TMP/default.dump"
"$IMPRINT" --dump-style "$TMP/mine/wide.style" >"$TMP/wide.dump"
eq "user style: the dump differs from default's only in name, description, margin-left" \
    "$(printf '%s\n' '< name=default' '> name=wide' '< margin-left=38mm' \
       '< margin-left[ja]=22mm' '< margin-left[ko]=22mm' '< margin-left[zh]=22mm' \
       '> margin-left=40mm')" \
    "$(diff "$TMP/default.dump" "$TMP/wide.dump" | grep '^[<>] ' | grep -v '^[<>] #' | grep -v '^[<>] description=')"
# The leftmost word of page 1 starts at the left margin: 40mm = 113.39pt (default: 38mm).
left_edge() {
    pdftotext -bbox -f 1 -l 1 "$1" - | sed -n 's/.*<word xMin="\([0-9.]*\)".*/\1/p' | sort -n | head -1
}
(cd / && "$IMPRINT" "$SPEECH" --style "$TMP/mine/wide.style" -o "$TMP/wide.pdf")
ok "user style: renders" test -s "$TMP/wide.pdf"
eq "user style: text starts at margin-left=40mm" "113.39" "$(printf '%.2f' "$(left_edge "$TMP/wide.pdf")")"
eq "default: text starts at margin-left=38mm" "107.71" "$(printf '%.2f' "$(left_edge "$TMP/by-name.pdf")")"
eq "user style: still A4" "595.276 x 841.89 pts (A4)" \
    "$(pdfinfo "$TMP/wide.pdf" | sed -n 's/^Page size: *//p')"
(cd "$TMP/mine" && "$IMPRINT" --dump-style sub/big.style >"$TMP/big.dump")
ok "grandchild: inherits the margin through a relative path" grep -qx 'margin-left=40mm' "$TMP/big.dump"
ok "grandchild: its own body size" \
    sh -c "sed -n '/^\[body\]/,/^\[/p' '$TMP/big.dump' | grep -qx 'font-size=12pt'"
ok "grandchild: name from its file name" grep -qx 'name=big' "$TMP/big.dump"

# --set errors name the option; exit 1, no output.
mkdir "$TMP/w"
expect 1 "^imprint: --set body\.fontsize: unknown key.*font-size" "--set with an unknown key" \
    -- "$SPEECH" --set body.fontsize=11pt -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set with an unknown key"
expect 1 "^imprint: --set bodyy\.font-size: unknown group \[bodyy\]" "--set with an unknown group" \
    -- "$SPEECH" --set bodyy.font-size=11pt -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set with an unknown group"
expect 1 "^imprint: --set body\.font-size: '0' is too small" "--set with a bad value" \
    -- "$SPEECH" --set body.font-size=0 -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set with a bad value"
expect 1 "^imprint: --set page\.size: .*A7" "--set with an unknown page size" \
    -- "$SPEECH" --set page.size=A7 -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set with an unknown page size"
expect 2 "^imprint: --set .*group\.key=value" "--set without group.key (a usage error)" \
    -- "$SPEECH" --set fontsize -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set without group.key"
expect 1 "^imprint: --set style\.inherits: " "--set style.inherits" \
    -- "$SPEECH" --set style.inherits=letter -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set style.inherits"

# Style-file errors: FILE:LINE, the group and key, exit 1, no output.
bad_style unknown-group "4: unknown group \[bodyy\] \(did you mean \[body\]\?\)" \
    '[style]\ninherits=default\n\n[bodyy]\nfont-size=11pt\n'
bad_style unknown-key "4: \[body\] font-szie: unknown key \(did you mean 'font-size'\?\)" \
    '[style]\ninherits=default\n[body]\nfont-szie=11pt\n'
bad_style bad-unit "5: \[page\] margin-left: '20px': unknown unit 'px'" \
    '[style]\ninherits=default\n[page]\nmargin-top=20mm\nmargin-left=20px\n'
bad_style missing-unit "4: \[page\] margin-top: '20' needs a unit" \
    '[style]\ninherits=default\n[page]\nmargin-top=20\n'
bad_style no-room "5: \[page\] margin-right: the margins leave a text area 42\.52pt wide" \
    '[style]\ninherits=default\n[page]\nmargin-left=100mm\nmargin-right=95mm\n'
bad_style font-size-0 "4: \[h2\] font-size: '0' is too small" \
    '[style]\ninherits=default\n[h2]\nfont-size=0\n'
bad_style missing-parent "3: \[style\] inherits: parent style 'defualt' not found \(looked in: .*styles\)" \
    '# mine\n[style]\ninherits=defualt\n'
bad_style bad-field "6: \[footer\] left: .*unknown field \{chapter\}" \
    '[style]\ninherits=default\n\n[footer]\n# a typo of a field\nleft={page} {chapter}\n'
# a.style -> b.style -> a.style: reported at the line that closes the loop.
printf '[style]\ninherits=b.style\n' >"$TMP/w/a.style"
printf '[style]\ninherits=a.style\n' >"$TMP/w/b.style"
expect 1 "^imprint: $TMP/w/b\.style:2: \[style\] inherits: inheritance loop: .*a\.style -> .*b\.style -> .*a\.style" \
    "inheritance loop" -- "$SPEECH" --style "$TMP/w/a.style" -o "$TMP/w/out.pdf"
no_output "$TMP/w" "inheritance loop"
printf '[style]\ninherits=self.style\n' >"$TMP/w/self.style"
expect 1 "self\.style:2: \[style\] inherits: inheritance loop" "a style inheriting itself" \
    -- "$SPEECH" --style "$TMP/w/self.style" -o "$TMP/w/out.pdf"
no_output "$TMP/w" "a style inheriting itself"
# --dump-style reports the same errors, and prints nothing.
expect 1 "^imprint: $TMP/w/font-size-0\.style:4: \[h2\] font-size" "--dump-style of a bad style" \
    -- --dump-style "$TMP/w/font-size-0.style"
eq "--dump-style of a bad style: nothing on standard output" "" "$(cat "$TMP/out")"
# An existing output survives a style error.
printf 'old\n' >"$TMP/keep.pdf"
expect 1 "unknown-key\.style:4:" "style error over an existing output" \
    -- "$SPEECH" --style "$TMP/w/unknown-key.style" -o "$TMP/keep.pdf"
eq "style error: existing output untouched" "old" "$(cat "$TMP/keep.pdf")"

# Style-sheet hardening: a BOM is accepted; a key or group twice, a bad language tag are
# errors naming both lines or the tag.
printf '\357\273\277[style]\ninherits=default\n[page]\nmargin-left=40mm\n' >"$TMP/w/bom.style"
"$IMPRINT" --dump-style "$TMP/w/bom.style" >"$TMP/bom.dump"
ok "a style with a byte-order mark loads" grep -qx 'margin-left=40mm' "$TMP/bom.dump"
bad_style twice-key "5: \[body\] font-size: set twice in one file \(first at line 4\)" \
    '[style]\ninherits=default\n[body]\nfont-size=10pt\nfont-size=11pt\n'
bad_style twice-group "5: group \[body\] appears twice in one file \(first at line 3\)" \
    '[style]\ninherits=default\n[body]\nfont-size=10pt\n[body]\ncolor=#000000\n'
bad_style bad-tag "4: \[footer\] right\[de_DE\]: 'de_DE' is not a BCP 47 language tag .*write de-DE" \
    '[style]\ninherits=default\n[footer]\nright[de_DE]=Seite {page}\n'
bad_style bad-xpath "4: \[html\] content: '//div\[' is not a valid XPath 1.0 expression" \
    '[style]\ninherits=default\n[html]\ncontent=//div[\n'

# Localized values: the dump carries them and loads back to the same dump; --set of one
# tag; the default style's footer per language.
"$IMPRINT" --dump-style default >"$TMP/default.dump"
ok "--dump-style: localized footer (zh-Hans)" \
    grep -qx 'right\[zh-Hans\]=第 {page} 页，共 {pages} 页' "$TMP/default.dump"
ok "--dump-style: localized footer (ko)" grep -qx 'right\[ko\]={page} / {pages} 페이지' "$TMP/default.dump"
"$IMPRINT" --dump-style default --set 'footer.right[ja]={page}ページ' >"$TMP/ja.dump"
ok "--set of one tag" grep -qx 'right\[ja\]={page}ページ' "$TMP/ja.dump"
ok "--set of one tag keeps the others" grep -qx 'right\[ko\]={page} / {pages} 페이지' "$TMP/ja.dump"
"$IMPRINT" --dump-style "$TMP/ja.dump" >"$TMP/ja2.dump"
ok "a dump with localized values loads back to the same dump" cmp -s "$TMP/ja.dump" "$TMP/ja2.dump"
"$IMPRINT" --dump-style default --set 'footer.right=p. {page}' >"$TMP/plain.dump"
ok "--set of the plain value drops the inherited tags" \
    sh -c "! grep -q '^right\[' '$TMP/plain.dump'"
expect 1 "^imprint: --set footer\.right\[x_y\]: .*BCP 47" "--set with a bad tag" \
    -- "$SPEECH" --set 'footer.right[x_y]=a' -o "$TMP/w/out.pdf"
no_output "$TMP/w" "--set with a bad tag"
finish
