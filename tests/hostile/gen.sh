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
    # blocks (written as CASE.md): a table cell of 1 MB, 100,000 numbered items, 30,000
    # headings six levels deep, a table of 1,000 columns
    blk-cell) printf '| a | b |\n|---|---|\n| x | '; yes 'word another thing' | head -n 55000 | tr '\n' ' '; printf 'end |\n' ;;
    blk-items) awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "%d. item %d\n", i, i }' ;;
    blk-headings) awk 'BEGIN { for (i = 1; i <= 30000; i++) printf "%s heading %d\n\ntext %d\n\n", substr("######", 1, 1 + i % 6), i, i }' ;;
    blk-columns) printf '|'; rep 1000 ' c |'; printf '\n|'; rep 1000 ' --- |'; printf '\n'
        yes "|$(rep 1000 ' word |')" | head -n 20 ;;
    # images (written as CASE.md, its image beside it: image CASE DIR): a text file named
    # .png, a PNG and a JPEG cut short, PNG and JPEG headers of 50,000 x 50,000 pixels, an
    # SVG of 50,000 x 50,000 px blurred, 3,000 missing images, a data: URI of 4 MB
    img-text|img-cut-png|img-cut-jpg|img-huge-png|img-huge-jpg|img-svg-huge)
        printf 'Before the image.\n\n![替代文字 alt text of %s](%s.%s "Caption")\n\nAfter it.\n' \
            "$1" "$1" "$(img_ext "$1")" ;;
    img-many) printf 'Missing images.\n\n'
        awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "![alt %d](missing-%d.png)\n\n", i, i }' ;;
    img-data) printf 'Inline data.\n\n![alt of the data](data:image/png;base64,'
        head -c 3000000 /dev/zero | tr '\0' 'A'; printf ')\n' ;;
    *) echo "gen.sh: unknown case '$1'" >&2; return 2 ;;
    esac
}

# img_ext CASE — the extension of an img-* case's image.
img_ext() {
    case $1 in
    *-jpg) echo jpg ;;
    *-svg-*) echo svg ;;
    *) echo png ;;
    esac
}

# jpeg16 — a valid 16 x 16 grey JPEG (390 bytes, made with libjpeg).
jpeg16() {
        printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\333\000C\000'
        printf '\020\013\014\016\014\012\020\016\015\016\022\021\020\023\030(\032\030\026\026\0301#\045'
        printf '\035(:3=<9387@H\134N@DWE78PmQW_bghg>Mqypdx\134egc\377\300\000\013\010\000\020\000\020'
        printf '\001\001\021\000\377\304\000\037\000\000\001\005\001\001\001\001\001\001\000\000\000\000'
        printf '\000\000\000\000\001\002\003\004\005\006\007\010\011\012\013\377\304\000\265\020\000\002'
        printf '\001\003\003\002\004\003\005\005\004\004\000\000\001}\001\002\003\000\004\021\005\022!1A'
        printf '\006\023Qa\007"q\0242\201\221\241\010#B\261\301\025R\321\360$3br\202\011\012\026\027\030'
        printf '\031\032\045&\047()*456789:CDEFGHIJSTUVWXYZcdefghijstuvwxyz\203\204\205\206\207\210\211'
        printf '\212\222\223\224\225\226\227\230\231\232\242\243\244\245\246\247\250\251\252\262\263\264'
        printf '\265\266\267\270\271\272\302\303\304\305\306\307\310\311\312\322\323\324\325\326\327\330'
        printf '\331\332\341\342\343\344\345\346\347\350\351\352\361\362\363\364\365\366\367\370\371\372'
        printf '\377\332\000\010\001\001\000\000?\000\347t\257\335\371\277\364\313\037\216s\376\177\012'
        printf '\364\015+\367~o\3752\307\343\234\377\000\237\302\274\377\000U\375\337\225\377\000L\263'
        printf '\370\347\037\347\360\257@\325\177w\345\177\323,\3769\307\371\374+\377\331'
}

# image CASE DIR — writes the image an img-* case names into DIR.
image() {
    f="$2/$1.$(img_ext "$1")"
    case $1 in
    img-text) printf 'This is a text file, not an image.\n' >"$f" ;;
    img-cut-png) gen png | head -c 40 >"$f" ;;
    img-cut-jpg) jpeg16 | head -c 200 >"$f" ;;
    img-huge-png)
        {
            printf '\211PNG\015\012\032\012\000\000\000\015IHDR\000\000\303P\000\000\303P\010\002\000\000'
            printf '\000\304\315\252\235\000\000\000\014IDATx\234c`\240\014\000\000\000@\000\001\2674|\357'
            printf '\000\000\000\000IEND\256B`\202'
        } >"$f" ;;
    img-huge-jpg)
        {
            printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\333\000C\000'
            printf '\020\013\014\016\014\012\020\016\015\016\022\021\020\023\030(\032\030\026\026\0301#\045'
            printf '\035(:3=<9387@H\134N@DWE78PmQW_bghg>Mqypdx\134egc\377\300\000\013\010\303P\303P\001\001'
            printf '\021\000\377\304\000\037\000\000\001\005\001\001\001\001\001\001\000\000\000\000\000\000'
            printf '\000\000\001\002\003\004\005\006\007\010\011\012\013\377\304\000\265\020\000\002\001\003'
            printf '\003\002\004\003\005\005\004\004\000\000\001}\001\002\003\000\004\021\005\022!1A\006\023'
            printf 'Qa\007"q\0242\201\221\241\010#B\261\301\025R\321\360$3br\202\011\012\026\027\030\031\032'
            printf '\045&\047()*456789:CDEFGHIJSTUVWXYZcdefghijstuvwxyz\203\204\205\206\207\210\211\212\222'
            printf '\223\224\225\226\227\230\231\232\242\243\244\245\246\247\250\251\252\262\263\264\265\266'
            printf '\267\270\271\272\302\303\304\305\306\307\310\311\312\322\323\324\325\326\327\330\331\332'
            printf '\341\342\343\344\345\346\347\350\351\352\361\362\363\364\365\366\367\370\371\372\377\332'
            printf '\000\010\001\001\000\000?\000\347t\257\335\371\277\364\313\037\216s\376\177\012\364\015+'
            printf '\367~o\3752\307\343\234\377\000\237\302\274\377\000U\375\337\225\377\000L\263\370\347'
            printf '\037\347\360\257@\325\177w\345\177\323,\3769\307\371\374+\377\331'
        } >"$f" ;;
    img-svg-huge)
        printf '<svg xmlns="http://www.w3.org/2000/svg" width="50000" height="50000">' >"$f"
        printf '<filter id="b"><feGaussianBlur stdDeviation="5000"/></filter>' >>"$f"
        printf '<rect width="50000" height="50000" fill="#1f4e8c" filter="url(#b)"/></svg>\n' >>"$f" ;;
    esac
}

ALL="empty blank bad-utf8 bad-overlong bad-surrogate bad-truncated bad-utf16 utf16-nobom nul
     bom utf16le utf16be crlf cr formfeed controls nonchars latin5m han2m token1m combining emoji
     bidi url paras50k png uncovered md-quotes md-lists md-emphasis md-brackets md-table md-html
     md-entities md-frontmatter md-headings md-code html-unclosed-p html-unclosed-b html-nested
     html-attr10m html-entities html-script html-colspan html-lists quotes lang-spans img-text
     img-cut-png img-cut-jpg img-huge-png img-huge-jpg img-svg-huge img-many img-data blk-cell
     blk-items blk-headings blk-columns"
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
    img-*) gen "$c" >"$dir/$c.md"; image "$c" "$dir" ;;  # Markdown and its image
    blk-*) gen "$c" >"$dir/$c.md" ;;  # Markdown
    *) gen "$c" >"$dir/$c.txt" ;;
    esac
done
