# Legacy encodings through the command: real Chinese, Japanese and Korean text (Debian's
# debian-reference-zh-cn, -zh-tw, -ja and debian-faq-ko packages) converted with iconv to
# GB18030, Big5, Shift_JIS, EUC-JP and EUC-KR gives the PDF text its UTF-8 original gives,
# with the encoding detected (-v says which) and with --encoding; a wrong --encoding is
# refused with the line and offset, and no file.
. "$IMP_SOURCE_DIR/tests/lib.sh"
excerpt() { # FILE.gz — about 3 KB of paragraphs from the middle of a document
    zcat "$1" | sed -n '400,520p' | head -c 3000 | iconv -f UTF-8 -t UTF-8 -c
}
REF=/usr/share/debian-reference
FAQ=/usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz
for spec in "zh-cn $REF/debian-reference.zh-cn.txt.gz GB18030" \
            "zh-tw $REF/debian-reference.zh-tw.txt.gz BIG5-HKSCS" \
            "ja $REF/debian-reference.ja.txt.gz SHIFT_JIS" \
            "ja-euc $REF/debian-reference.ja.txt.gz EUC-JP" \
            "ko $FAQ EUC-KR"; do
    set -- $spec
    name=$1 src=$2 enc=$3
    [ -f "$src" ] || { echo "skip $name: $src missing"; continue; }
    excerpt "$src" | iconv -f UTF-8 -t "$enc" -c >"$TMP/$name.raw"
    # the original: the same characters (those the legacy encoding holds), in UTF-8
    iconv -f "$enc" -t UTF-8 "$TMP/$name.raw" >"$TMP/$name.txt"
    "$IMPRINT" "$TMP/$name.txt" -o "$TMP/$name-utf8.pdf"
    pdftotext -enc UTF-8 "$TMP/$name-utf8.pdf" "$TMP/$name-utf8.out"
    cp "$TMP/$name.raw" "$TMP/$name-legacy.txt"
    st=0
    "$IMPRINT" -v "$TMP/$name-legacy.txt" -o "$TMP/$name-detected.pdf" 2>"$TMP/err" || st=$?
    eq "$name ($enc): detected, exit status" 0 "$st"
    ok "$name ($enc): -v names the encoding" grep -q 'encoding: ' "$TMP/err"
    pdftotext -enc UTF-8 "$TMP/$name-detected.pdf" "$TMP/$name-detected.out" 2>/dev/null
    ok "$name ($enc): detected: the PDF text is the original's" \
        cmp -s "$TMP/$name-utf8.out" "$TMP/$name-detected.out"
    st=0
    "$IMPRINT" --encoding "$enc" "$TMP/$name-legacy.txt" -o "$TMP/$name-named.pdf" 2>"$TMP/err" || st=$?
    eq "$name ($enc): --encoding, exit status" 0 "$st"
    pdftotext -enc UTF-8 "$TMP/$name-named.pdf" "$TMP/$name-named.out" 2>/dev/null
    ok "$name ($enc): --encoding: the PDF text is the original's" \
        cmp -s "$TMP/$name-utf8.out" "$TMP/$name-named.out"
done
# a wrong encoding named: refused with the place, nothing written
st=0
"$IMPRINT" --encoding SHIFT_JIS "$TMP/zh-cn-legacy.txt" -o "$TMP/wrong.pdf" 2>"$TMP/err" || st=$?
eq "wrong --encoding: exit status" 1 "$st"
ok "wrong --encoding: the message names the line and offset" \
    grep -Eq 'zh-cn-legacy.txt:[0-9]+: invalid Shift_JIS at byte offset [0-9]+' "$TMP/err"
ok "wrong --encoding: no file" test ! -e "$TMP/wrong.pdf"
finish
