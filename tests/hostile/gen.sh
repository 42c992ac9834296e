#!/bin/sh
# gen.sh — writes the hostile inputs into a folder, fast (printf, yes, head, tr, awk,
# iconv), so the large ones need not be checked in.
#
#   sh tests/hostile/gen.sh DIR [CASE...]    writes DIR/CASE.txt (DIR/png.txt is a PNG)
#   sh tests/hostile/gen.sh --list           prints the cases, one a line
#
# Without CASE, every case is written except the ones only tools/hostile-limits uses
# (those whose names start with "big-" or "para-"). Every case is deterministic.
set -eu

# rep N STRING — STRING repeated N times, no separator.
rep() {
    yes "$2" | head -n "$1" | tr -d '\n'
}

# latin_line BYTES — one line of Latin letters without a space.
latin_line() {
    yes abcdefghijklmnopqrstuvwxyz | tr -d '\n' | head -c "$1"
}

# words_para BYTES — one paragraph (one source line) of ordinary words.
words_para() {
    yes 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.' |
        tr '\n' ' ' | head -c "$1"
}

gen() {
    case $1 in
    empty) : ;;
    blank) printf '   \n\t\n\302\240 \343\200\200\n\n  \r\n' ;;
    # invalid UTF-8 in the middle of the third line
    bad-utf8) printf 'Good first line.\n\nA second paragraph with a bad byte \377 inside.\n' ;;
    bad-overlong) printf 'An overlong slash \300\257 is not UTF-8.\n' ;;
    bad-surrogate) printf 'A surrogate \355\240\200 is not UTF-8.\n' ;;
    bad-truncated) printf 'Ends inside a character \344\270' ;;
    bad-utf16) printf '\377\376A\000B\000C' ;;
    utf16-nobom) printf 'Plain text' | iconv -f UTF-8 -t UTF-16LE; printf '\n\000' ;;
    nul) printf 'Text with a NUL\000 byte in it.\n\nSecond\000 paragraph.\n' ;;
    bom) printf '\357\273\277Title After A BOM\n\nBody text follows the title.\n' ;;
    utf16le)
        printf '\377\376'
        printf 'UTF-16 Title\n\nLittle-endian text with 汉字 and café.\n' | iconv -f UTF-8 -t UTF-16LE ;;
    utf16be)
        printf '\376\377'
        printf 'UTF-16 Title\n\nBig-endian text with 汉字 and café.\n' | iconv -f UTF-8 -t UTF-16BE ;;
    crlf) printf 'CRLF Title\r\n\r\nFirst paragraph line one\r\ncontinues here.\r\n\r\nSecond paragraph.\r\n' ;;
    cr) printf 'CR Title\r\rFirst paragraph line one\rcontinues here.\r\rSecond paragraph.\r' ;;
    # three pages: a form feed, then two in a row (one break), then one at the very end
    formfeed) printf 'Page one text\twith a tab.\n\fPage two\ttext.\n\n\f\fPage three after two form feeds.\f\n' ;;
    controls) printf 'Controls\n\nBell\007 and escape\033[0m and DEL\177 and C1 \302\205 here.\n' ;;
    # noncharacters U+FFFF, U+FDD0, U+10FFFE (in the title) and U+FFFE (in the body)
    nonchars) printf 'Non\357\277\277characters \357\267\220here\364\217\277\276\n\nBody\357\277\276 text.\n' ;;
    latin5m) latin_line 5242880; echo ;;
    han2m) rep 87381 '中文排版测试汉字'; echo ;;  # 87381 x 24 bytes = 2 MiB less 8 bytes
    # one token of 150,000 hyphenated words and no space: each word once looked the whole
    # token over for signs of a URL (quadratic: 140 KB took 22 s)
    token1m) yes abcdef- | tr -d '\n' | head -c 1048576; echo ;;
    # 200,000 opening double quotation marks, then as many closing single ones: the pairing
    # of marks once looked down the stack of the other kind for each (quadratic: 200,000
    # pairs took 19 s); and 40,000 Japanese quotations in a Chinese sentence (LANG spans)
    quotes) rep 200000 '“'; rep 200000 '’'; echo ;;
    lang-spans) rep 40000 '他说「ありがとう」然后走了，'; echo ;;
    combining) printf 'Zalgo\n\nOne letter a'; rep 100000 "$(printf '\314\201')"; printf ' and the end.\n' ;;
    emoji)
        # a family (ZWJ), skin tones, a rainbow flag (VS16 + ZWJ), an astronaut (tone + ZWJ)
        printf 'Emoji\n\nFamily 👩‍👩‍👧‍👦 thumbs 👍🏽👍🏿 flag 🏳️‍🌈 astronaut 🧑🏿‍🚀 keycap 1️⃣ done.\n' ;;
    bidi)
        printf 'Mixed Directions\n\nThe word שלום means peace, and مرحبا بالعالم means hello world.\n\n'
        printf 'English around עברית ועוד מילים and back to English.\n' ;;
    url)
        printf 'Long Link\n\nSee https://example.com/'
        awk 'BEGIN { for (i = 1; i <= 300; i++) printf "segment-%04d/", i }'
        printf 'end.html for details.\n' ;;
    paras50k) awk 'BEGIN { for (i = 1; i <= 50000; i++) printf "Paragraph number %d.\n\n", i }' ;;
    # a valid 1x1 PNG
    png) printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000\037\025\304\211\000\000\000\rIDATx\234c\370\377\377?\000\005\376\002\376\247\065\201\204\000\000\000\000IEND\256B`\202' ;;
    # private use (U+E000..) and Vithkuqi (U+10570..): no font in fonts/fonts.conf has them
    uncovered) printf 'Uncovered\n\nA private word \356\200\200\356\200\201\356\200\202 and a Vithkuqi word \360\220\225\260\360\220\225\261\360\220\225\262 end.\n' ;;
    # for tools/hostile-limits only
    big-text10m)
        yes 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.' |
            awk '{ printf "%s %s %s\n\n", $0, $0, $0 }' | head -c 10485760 ;;
    big-han10m)  # 81920 paragraphs of 3 x 14 characters (126 bytes) + 2 line ends = 10 MiB
        yes '中文排版测试汉字，标点符号。' | awk '{ printf "%s%s%s\n\n", $0, $0, $0 }' |
            head -n 163840 ;;
    big-latin10m) latin_line 10485760; echo ;;
    big-words10m) words_para 10485760; echo ;;  # one paragraph of ordinary words
    big-tiny10m) yes a | awk '{ print; print "" }' | head -c 10485760 ;;  # 3.5M paragraphs
    big-lines10m) yes ab | head -c 10485760 ;;  # 3.5M short lines: one paragraph
    big-blank10m) head -c 10485760 /dev/zero | tr '\0' '\n' ;;
    big-ctrl10m) yes "$(printf 'text\007\033')" | head -c 10485760 ;;
    big-ff10m) yes "$(printf 'page\f')" | head -c 10485760 ;;
    big-token10m) yes abcdef- | tr -d '\n' | head -c 10485760; echo ;;
    para-latin1m) latin_line 1048576; echo ;;
    para-latin4m) latin_line 4194304; echo ;;
    para-words1m) words_para 1048576; echo ;;
    para-words4m) words_para 4194304; echo ;;
    *) echo "gen.sh: unknown case '$1'" >&2; return 2 ;;
    esac
}

ALL="empty blank bad-utf8 bad-overlong bad-surrogate bad-truncated bad-utf16 utf16-nobom nul
     bom utf16le utf16be crlf cr formfeed controls nonchars latin5m han2m token1m combining emoji
     quotes lang-spans
     bidi url paras50k png uncovered"
EXTRA="big-text10m big-han10m big-latin10m big-words10m big-tiny10m big-lines10m big-blank10m
       big-ctrl10m big-ff10m big-token10m para-latin1m para-latin4m para-words1m para-words4m"

if [ "${1:-}" = --list ]; then
    for c in $ALL $EXTRA; do echo "$c"; done
    exit 0
fi
[ $# -ge 1 ] || { echo "usage: gen.sh DIR [CASE...] | --list" >&2; exit 2; }
dir=$1; shift
[ $# -gt 0 ] || set -- $ALL
mkdir -p "$dir"
for c in "$@"; do
    gen "$c" >"$dir/$c.txt"
done
