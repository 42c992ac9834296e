# End-to-end: structure found in plain text, set as the blocks it is. Real documents from
# Debian packages, cut to a few pages:
#   debian-reference-zh-cn (debian-reference.zh-cn.txt.gz, lines 2000-2400: sections 1.3.3
#     to 1.4.8, an ASCII table of MC's keys, lists, shell lines);
#   debian-reference-en (debian-reference.en.txt.gz, lines 1700-1800: a shell session of
#     ls -l, two ASCII tables, sections 1.2.4 and 1.2.5);
#   debian-faq-ko (debian-faq.ko.txt.gz, lines 600-760: sections 3.1 to 3.1.7, lists).
# For each: no message; the outline holds the numbered headings as written (their own
# numbers, none added), nested by their depth; code in a monospace face (Noto Sans Mono, or
# Noto Sans Mono CJK SC for the Chinese table, whose columns then stay aligned); every line
# of a code block one line of the PDF, as typed; list markers as typed; every character of
# the text in the text area, in order. Then page 1 of the Chinese against a reviewed image.
. "$IMP_SOURCE_DIR/tests/lib.sh"
PY=/usr/bin/python3

# outline PDF — the outline's entries, one a line, indented two spaces a level.
outline() {
    qpdf --json --json-key=outlines "$1" | "$PY" -c '
import json, sys
def walk(entries, level):
    for e in entries:
        print("  " * level + e["title"])
        walk(e["kids"], level + 1)
walk(json.load(sys.stdin)["outlines"], 0)'
}

# text_area PDF — the raw text of the text area of every page (the default style's).
text_area() {
    top=$(style_pt default page margin-top)
    bottom=$(style_pt default page margin-bottom)
    n=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
    p=1
    while [ "$p" -le "$n" ]; do
        pdf_text "$1" -f "$p" -l "$p" -x 0 -y "$top" -W 2000 -H "$((842 - top - bottom))"
        p=$((p + 1))
    done
}

for doc in zh en ko; do
    case $doc in
    zh) src=/usr/share/debian-reference/debian-reference.zh-cn.txt.gz range=2000,2400 ;;
    en) src=/usr/share/debian-reference/debian-reference.en.txt.gz range=1700,1800 ;;
    ko) src=/usr/share/doc/debian/FAQ/debian-faq.ko.txt.gz range=600,760 ;;
    esac
    if [ ! -r "$src" ]; then
        echo "SKIP: $src is not installed (tools/setup --test)"
        continue
    fi
    zcat "$src" | sed -n "${range}p" >"$TMP/$doc.txt"
    "$IMPRINT" "$TMP/$doc.txt" -o "$TMP/$doc.pdf" 2>"$TMP/err"
    eq "$doc: no messages" "" "$(cat "$TMP/err")"
    outline "$TMP/$doc.pdf" >"$TMP/$doc.outline"
    pdffonts "$TMP/$doc.pdf" >"$TMP/$doc.fonts"
    text_area "$TMP/$doc.pdf" >"$TMP/$doc.raw"
    # the numbered headings as written (the text after the number is the source line's)
    # (Debian's texts put a no-break space after the number)
    grep -E '^[0-9]+(\.[0-9]+)+\.[  ]' "$TMP/$doc.txt" | sed 's/ *$//' >"$TMP/$doc.headings"
    ok "$doc: headings found" test -s "$TMP/$doc.headings"
    while read -r h; do
        ok "$doc: '$h' starts an outline entry" grep -qF -- "$h" "$TMP/$doc.outline"
    done <"$TMP/$doc.headings"
    eq "$doc: one outline entry a heading (and none for the title)" \
        "$(wc -l <"$TMP/$doc.headings")" "$(grep -cE '^ *[0-9]+(\.[0-9]+)+\.[  ]' "$TMP/$doc.outline")"
    ok "$doc: no number added to a numbered heading" \
        sh -c "! grep -qE '^ *[0-9.]+ [0-9]+(\.[0-9]+)+\.[  ]' '$TMP/$doc.outline'"
    # every character of the text area is the input's, in order (the wrap mark of a long
    # code line is furniture: not counted)
    squeeze <"$TMP/$doc.txt" >"$TMP/$doc.expect"
    sed 's/↪//g' "$TMP/$doc.raw" >"$TMP/$doc.raw2"
    unhyphenate "$TMP/$doc.expect" "$TMP/$doc.raw2" >"$TMP/$doc.got"
    ok "$doc: every character of the text, in order" cmp -s "$TMP/$doc.expect" "$TMP/$doc.got"
done

if [ -s "$TMP/en.pdf" ]; then
    ok "en: code in Noto Sans Mono" grep -q '+NotoSansMono-Regular ' "$TMP/en.fonts"
    # a shell session: each line one line of the PDF, as typed
    pdftotext -raw -enc UTF-8 "$TMP/en.pdf" "$TMP/en.lines"
    for line in '$ ls -l /etc/passwd /etc/shadow /dev/ppp /usr/sbin/exim4' \
                '-rw-r--r-- 1 root root 2761 Aug 30 10:38 /etc/passwd' \
                '$ ls -ld /tmp /var/tmp /usr/local /var/mail /usr/src'; do
        ok "en: '$line' is a line" sh -c "tr -s ' ' <'$TMP/en.lines' | grep -qxF -- '$line'"
    done
    # the two ASCII tables (66 columns each): the last character of every row ends at the
    # same x, as in a terminal
    pdftotext -bbox -enc UTF-8 "$TMP/en.pdf" - | "$PY" -c '
import re, sys
rows = {}
for m in re.finditer(r"<page |<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"[\d.]+\">([^<]*)</word>", sys.stdin.read()):
    if m.group(0) == "<page ":
        page = len(rows); continue
    x0, y0, x1, text = float(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)
    rows.setdefault((page, round(y0, 1)), []).append((x0, x1, text))
ends = []
for words in rows.values():
    words.sort()
    if words[0][2][:1] in "|+" and words[-1][2][-1:] in "|+":
        ends.append(words[-1][1])
print(len(ends), round(max(ends) - min(ends), 3))' >"$TMP/en.table"
    eq "en: 23 table rows end at one x" "23 0.0" "$(cat "$TMP/en.table")"
    eq "en: 1.2.4 and 1.2.5 are siblings" "1.2.4. Control of permissions for newly created files: umask
1.2.5. Permissions for groups of users (group)" "$(grep -E '^ *1\.2\.' "$TMP/en.outline")"
fi
if [ -s "$TMP/zh.pdf" ]; then
    ok "zh: the table in Noto Sans Mono CJK SC" grep -q '+NotoSansMonoCJKsc-' "$TMP/zh.fonts"
    ok "zh: 1.4.1 nests under 1.4" sh -c "grep -A1 '^1\.4\.[  ]' '$TMP/zh.outline' | grep -q '^  1\.4\.1\.[  ]'"
    # list markers as typed, before their items
    ok "zh: list markers as typed" grep -qF '*cd命令在选中的屏幕中改变目录。' "$TMP/zh.got"
    pdftoppm -r 60 -f 1 -l 1 -png "$TMP/zh.pdf" "$TMP/zh-p"
    golden "structure-zh-p1" "$(ls "$TMP/zh-p"*.png | head -1)"
fi
# bare URLs in plain text are links (debian-reference-en, chapter 1's pointers: a list of
# places on the web; one is "https://" at a line's end and "www.debian.org" on the next:
# the first no URL, the second a link to http://www.debian.org, as GitHub links www.)
EN=/usr/share/debian-reference/debian-reference.en.txt.gz
if [ -r "$EN" ]; then
    zcat "$EN" | sed -n 720,800p >"$TMP/urls.txt"
    "$IMPRINT" "$TMP/urls.txt" -o "$TMP/urls.pdf"
    grep -oE 'https?://[A-Za-z0-9][^ ]*[A-Za-z0-9/_]|(^| )www\.[^ ]*[A-Za-z0-9/]' "$TMP/urls.txt" |
        sed 's|^ *www|http://www|' >"$TMP/urls.expect"
    ok "urls: some found in the text" test "$(wc -l <"$TMP/urls.expect")" -ge 3
    eq "urls: each one a link annotation (pdfinfo -url)" "$(cat "$TMP/urls.expect")" \
        "$(pdfinfo -url "$TMP/urls.pdf" | tail -n +2 | awk '{print $3}')"
fi
if [ -s "$TMP/ko.pdf" ]; then
    ok "ko: 3.1.1 nests under 3.1" sh -c "grep -A1 '^3\.1\.[  ]' '$TMP/ko.outline' | grep -q '^  3\.1\.1\.[  ]'"
fi
finish
