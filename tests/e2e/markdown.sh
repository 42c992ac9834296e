# End-to-end: the Markdown press release (examples/press-release.md: Chinese and English,
# every construct: front matter, headings, emphasis, strong, strikethrough, inline code,
# links, nested ordered, unordered and task lists, nested quotes, a table, an image with a
# caption, a code block, a thematic break) in every shipped style.
# For each style: no message; qpdf passes; no markup character in the text layer outside
# code; the text of every heading, item, quote, cell and the code lines there; code in a
# monospace face, task boxes in Noto Sans Symbols2; the outline: one entry for the title and
# each heading, nested by level (and numbered with [headings] numbering=decimal); the image
# embedded once; the structure tree with every kind of element (pdfinfo -struct); the
# links: to the web (pdfinfo -url) and to a heading (destinations); two runs
# byte-identical. Then the default style's pages against reviewed
# images, and a page of the letter style (its code on a tint).
. "$IMP_SOURCE_DIR/tests/lib.sh"
PY=/usr/bin/python3
PR="$IMP_SOURCE_DIR/examples/press-release.md"

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

for style in default letter archival mofcom; do
    pdf="$TMP/$style.pdf"
    "$IMPRINT" "$PR" --style "$style" -o "$pdf" 2>"$TMP/err"
    eq "$style: no messages" "" "$(cat "$TMP/err")"
    ok "$style: qpdf --check passes" sh -c "qpdf --check '$pdf' >/dev/null"
    pdftotext -enc UTF-8 "$pdf" "$TMP/$style.txt"
    # no markup outside code: the code block's lines and the inline code taken out first
    grep -vF -e '$ sudo apt install imprint' -e '$ imprint press-release.md -o' \
        -e 'imprint: wrote press-release.pdf' "$TMP/$style.txt" |
        sed -e 's/imprint press-release.md//' -e 's/--jobs 2//' >"$TMP/prose"
    ok "$style: no markup in the text layer (got: $(grep -nE '\*\*|__|`|\]\(|~~|^ *#|^ *>|\||\[[ xX]\]|^---|<[a-z/]' "$TMP/prose" | head -3))" \
        sh -c "! grep -qE '\*\*|__|\`|\]\(|~~|^ *#|^ *>|\||\[[ xX]\]|^---|<[a-z/]' '$TMP/prose'"
    squeeze <"$TMP/$style.txt" >"$TMP/flat"
    for t in '新闻稿PressRelease' '主要改进Whatisnew' '路线图Roadmap' '性能Performance' \
             '下载Download' '1.Markdown输入：' '◦中文标点压缩compression' '▪行首不放句号' \
             '☑Markdown读取readingMarkdown' '☐带标签的PDFtaggedPDF' \
             '4.仅支持纯文本Plaintextonly' 'imprint在一台普通笔记本上每秒可排约一百一十页。' \
             '“排版的好坏，在于读者察觉不到它。”' '版本Version' '每秒页数Pages/s' \
             '并行断行parallelbreaking' '图1Figure1' '$sudoaptinstallimprint' \
             '媒体联系Presscontact:press@example.org' 'theprojectpage'; do
        ok "$style: the text holds '$t'" grep -qF -- "$t" "$TMP/flat"
    done
    pdffonts "$pdf" >"$TMP/fonts"
    ok "$style: code in Noto Sans Mono" grep -q '+NotoSansMono-Regular ' "$TMP/fonts"
    ok "$style: task boxes in Noto Sans Symbols2" grep -q '+NotoSansSymbols2-Regular ' "$TMP/fonts"
    outline "$pdf" >"$TMP/outline"
    eq "$style: the outline: the title, the headings nested by level" \
"imprint 0.2 发布：Markdown 与结构识别
新闻稿 Press Release
  主要改进 What is new
    路线图 Roadmap
  性能 Performance
  下载 Download" "$(cat "$TMP/outline")"
    eq "$style: the chart, once" "1" "$(pdfimages -list "$pdf" | tail -n +3 | wc -l)"
    # the structure tree holds every kind of element the press release has
    pdfinfo -struct "$pdf" | sed -e 's/ (.*)$//' -e 's/^ *//' -e 's/:$//' | sort -u >"$TMP/kinds"
    for k in Document H1 H2 H3 H4 P L LI Lbl LBody BlockQuote Code Table TR TH TD Figure \
             Caption Link; do
        ok "$style: the tree has $k" grep -qx "$k" "$TMP/kinds"
    done
    eq "$style: the links to the web, as pdfinfo -url lists them" \
"https://example.org/imprint
mailto:press@example.org" "$(pdfinfo -url "$pdf" | tail -n +2 | awk '{print $3}')"
    eq "$style: the two links to the download heading go to its destination" "2" \
        "$(qpdf --qdf --object-streams=disable "$pdf" - | grep -ac '^  /Dest (b')"
done
"$IMPRINT" "$PR" -o "$TMP/again.pdf"
ok "two runs give byte-identical PDFs" cmp -s "$TMP/default.pdf" "$TMP/again.pdf"

# numbered by the style: "1." for the top level the headings use, then "1.1", "1.1.1"
"$IMPRINT" "$PR" --set headings.numbering=decimal -o "$TMP/numbered.pdf"
eq "numbering=decimal: the outline's labels carry the numbers" \
"imprint 0.2 发布：Markdown 与结构识别
1. 新闻稿 Press Release
  1.1 主要改进 What is new
    1.1.1 路线图 Roadmap
  1.2 性能 Performance
  1.3 下载 Download" "$(outline "$TMP/numbered.pdf")"
pdftotext -enc UTF-8 "$TMP/numbered.pdf" - | squeeze >"$TMP/numbered.txt"
ok "numbering=decimal: the numbers on the page" grep -qF '1.1.1路线图Roadmap' "$TMP/numbered.txt"

# a missing and a remote image: a warning each naming the line, the alt text in place;
# --strict refuses
sed -e 's/press-release-chart.png/no-such-chart.png/' "$PR" >"$TMP/missing.md"
printf '\n![远程图片 a remote chart](https://example.org/chart.png)\n' >>"$TMP/missing.md"
cp "$IMP_SOURCE_DIR/examples/press-release-chart.png" "$TMP/"
set +e
"$IMPRINT" "$TMP/missing.md" -o "$TMP/missing.pdf" 2>"$TMP/err"
st=$?
"$IMPRINT" --strict "$TMP/missing.md" -o "$TMP/strict.pdf" 2>"$TMP/err2"
st2=$?
set -e
eq "a missing image: exit status" 0 "$st"
line=$(grep -n 'no-such-chart.png' "$TMP/missing.md" | cut -d: -f1)
ok "a missing image: a warning naming the file and line (got: $(cat "$TMP/err"))" \
    grep -qE "^imprint: .*missing\.md:$line: warning: image 'no-such-chart.png': cannot read .*no-such-chart.png: No such file or directory; its alt text is set in its place$" "$TMP/err"
ok "a remote image: a warning" \
    grep -qE "^imprint: .*missing\.md:[0-9]+: warning: image 'https://example.org/chart.png': remote, not fetched \(imprint never uses the network\); its alt text is set in its place$" "$TMP/err"
pdftotext -enc UTF-8 "$TMP/missing.pdf" - | squeeze >"$TMP/missing.txt"
ok "the alt texts in place" sh -c "grep -qF '每秒页数，四个版本Pagespersecondoffourreleases' '$TMP/missing.txt' && grep -qF '远程图片aremotechart' '$TMP/missing.txt'"
eq "--strict: exit status" 1 "$st2"
ok "--strict: no output" test ! -e "$TMP/strict.pdf"

# the pages, reviewed
pdftoppm -r 60 -png "$TMP/default.pdf" "$TMP/default-p"
golden "press-release-default-p1" "$TMP/default-p-1.png"
golden "press-release-default-p2" "$TMP/default-p-2.png"
pdftoppm -r 60 -f 2 -l 2 -png "$TMP/letter.pdf" "$TMP/letter-p"
golden "press-release-letter-p2" "$(ls "$TMP/letter-p"*.png | head -1)"
finish
