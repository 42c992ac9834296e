#!/bin/sh
# gen.sh — writes the hostile inputs into a folder, fast (printf, yes, head, tr, awk,
# iconv), so the large ones need not be checked in.
#
#   sh tests/hostile/gen.sh DIR [CASE...]    writes DIR/CASE.txt (DIR/png.txt is a PNG;
#                                            html-* cases: DIR/CASE.html)
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
    # Markdown (tests/hostile/markdown.sh reads them as .md): nesting, delimiters, brackets,
    # a table row, raw HTML, entities, front matter, ids, code
    md-quotes) rep 100000 '> '; printf 'deep quote\n' ;;
    md-lists) yes -- '- ' | head -n 100000 | tr -d '\n'; printf 'deep item\n\n'
        awk 'BEGIN { for (i = 0; i < 1000; i++) { for (j = 0; j < i; j++) printf "  "; print "- x" } }' ;;
    md-emphasis) rep 150000 '*a _b '; echo ;;
    md-brackets) rep 250000 '[!['; echo; rep 100000 '[a]('; echo ;;
    md-table) printf '| a | b |\n|---|:-:|\n|'; rep 100000 'x|'; printf '\n'; yes '| c | d |' | head -n 20000 ;;
    md-html) rep 100000 '<div>'; printf '\n\ntext '; rep 100000 '<b>x</b> '; echo ;;
    md-entities) rep 50000 '&amp;&#x4E2D;&bogus;&#0; '; echo ;;
    md-frontmatter) printf -- '---\ntitle: '; rep 500000 '['; printf '\n---\nbody\n' ;;
    md-headings) yes '# Same heading' | head -n 20000; awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "# Same heading-%d\n", i }' ;;
    md-code) printf '```\n'; head -c 1000000 /dev/zero | tr '\0' '\t'; printf 'x\n'; yes "$(printf '\ty')" | head -n 100000; printf '```\n' ;;
    # for tools/hostile-limits only
    big-md-brackets10m) rep 10000000 '['; echo ;;
    big-md-emphasis10m) rep 5000000 '*a'; echo ;;
    big-md-quotes10m) rep 10000000 '>'; echo ;;
    big-md-lists10m) yes -- '- ' | head -n 5000000 | tr -d '\n'; echo x ;;
    big-md-table10m) printf '| a | b |\n|---|---|\n'; rep 5000000 '|x'; echo ;;
    # saved web pages (written as CASE.html): 20,000 unclosed <p> and <li>, which HTML
    # closes; 100,000 unclosed <b>, which nest; 100,000 nested <div>; a 10 MB attribute;
    # entities (an internal subset's "billion laughs", which the HTML parser does not
    # expand, and 300,000 references); a page of scripts and no text; table cells that
    # span 1,000 columns and 65,534 rows; 120 nested lists (240 levels of elements)
    html-unclosed-p)
        printf '<!DOCTYPE html>\n<html><body>\n'
        awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "<p>Paragraph %d, never closed.\n<li>Item %d\n", i, i }' ;;
    html-unclosed-b) printf '<html><body><p>Start '; rep 100000 '<b>bold '; echo ;;
    html-nested) printf '<html><body>\n<p>Before the divs.</p>\n'; rep 100000 '<div>'; printf 'deep\n' ;;
    html-attr10m)
        printf '<html><body><p title="'; latin_line 10485760; printf '">The text</p><p>After it.</p></body></html>\n' ;;
    html-entities)
        printf '<!DOCTYPE html [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        printf '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n]>\n'
        printf '<html><body><p>Entities: &d;&d;&d; &amp; &lt;tag&gt; &#x4E2D;&#25991; &#0; &#xD800; &#x110000; &nosuch;</p>\n<p>'
        rep 100000 '&amp;&#x41;&eacute;'; printf '</p></body></html>\n' ;;
    html-script)
        printf '<html><head><script>var head = 1;</script></head><body>\n'
        yes '<script>document.write("<p>" + "x".repeat(100) + "</p>");</script>' | head -n 20000
        printf '<noscript>Please enable JavaScript.</noscript><style>p { color: red }</style></body></html>\n' ;;
    html-colspan)
        printf '<html><body><table>\n'
        yes '<tr><td colspan="1000" rowspan="65534">x</td><td colspan="1000">y</td></tr>' | head -n 5000
        printf '</table></body></html>\n' ;;
    html-lists) printf '<html><body>'; rep 120 '<ul><li>level'; printf ' end</body></html>\n' ;;
    big-html10m)  # a saved page of 10 MiB: 40,000 paragraphs with markup
        printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Big</title></head><body><main>\n'
        yes '<p>Lorem <em>ipsum</em> dolor sit amet, <a href="#x">consectetur</a> adipiscing elit, sed do <b>eiusmod</b> tempor incididunt ut labore et dolore magna aliqua.</p>' |
            head -c 10485000
        printf '\n</main></body></html>\n' ;;
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
     bidi url paras50k png uncovered md-quotes md-lists md-emphasis md-brackets md-table md-html
     md-entities md-frontmatter md-headings md-code html-unclosed-p html-unclosed-b html-nested
     html-attr10m html-entities html-script html-colspan html-lists"
EXTRA="big-text10m big-han10m big-latin10m big-words10m big-tiny10m big-lines10m big-blank10m
       big-ctrl10m big-ff10m big-token10m para-latin1m para-latin4m para-words1m para-words4m
       big-md-brackets10m big-md-emphasis10m big-md-quotes10m big-md-lists10m big-md-table10m
       big-html10m"

if [ "${1:-}" = --list ]; then
    for c in $ALL $EXTRA; do echo "$c"; done
    exit 0
fi
[ $# -ge 1 ] || { echo "usage: gen.sh DIR [CASE...] | --list" >&2; exit 2; }
dir=$1; shift
[ $# -gt 0 ] || set -- $ALL
mkdir -p "$dir"
for c in "$@"; do
    case $c in
    html-*|big-html*) gen "$c" >"$dir/$c.html" ;;  # a saved page: read as HTML
    *) gen "$c" >"$dir/$c.txt" ;;
    esac
done
