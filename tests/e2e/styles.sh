# End-to-end: the bundled speech set in each shipped style (--style default, letter,
# archival, mofcom). For each: the page size pdfinfo reports, every character of the input
# on the pages, the running header and footer of every page as the style's templates say
# (first-page slots on page 1, the others after), and page 1's pixels against a reviewed
# reference. A style without reading rules of its own still reads the speech with the
# detected site style's rules (mofcom), so every style drops the same chrome and finds the
# same title and notice. Then archival's every-page notice, and --set of the page size and
# orientation.
#
# Expected header and footer text is computed from the resolved style (--dump-style), so
# the check follows the templates: {page} and {pages} from the PDF, {title} and {section}
# from its metadata (Title, Subject), {site} and {source} from the site style's [reading]
# group (mofcom's: every style reads the speech with the site's rules).
. "$IMP_SOURCE_DIR/tests/lib.sh"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"

# dump_get DUMP GROUP KEY — a raw value from a --dump-style file (empty when unset).
dump_get() {
    awk -v g="[$2]" -v k="$3" '
        /^\[/ { in_g = ($0 == g); next }
        in_g && index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1"
}

# to_pt LENGTH — a length with its unit (mm, cm, in, pt) in points, 3 decimals.
to_pt() {
    echo "$1" | awk '{ v = $0; f = 1
        if (v ~ /mm$/) f = 72 / 25.4; else if (v ~ /cm$/) f = 72 / 2.54
        else if (v ~ /in$/) f = 72
        sub(/ *[a-z]+$/, "", v); printf "%.3f\n", v * f }'
}

# expand TEMPLATE PAGE PAGES — TEMPLATE with its fields replaced. A field this test does
# not know is left in braces, so the comparison that follows fails and shows it.
expand() {
    awk -v t="$1" -v page="$2" -v pages="$3" -v title="$F_TITLE" -v section="$F_SECTION" \
        -v site="$F_SITE" -v source="$F_SOURCE" 'BEGIN {
        n = split("page pages title section site source", name, " ")
        val["page"] = page; val["pages"] = pages; val["title"] = title
        val["section"] = section; val["site"] = site; val["source"] = source
        out = ""
        while ((i = index(t, "{")) > 0) {
            out = out substr(t, 1, i - 1); t = substr(t, i)
            if (substr(t, 1, 2) == "{{") { out = out "{"; t = substr(t, 3); continue }
            j = index(t, "}"); f = substr(t, 2, j - 2)
            if (j > 0 && (f in val)) { out = out val[f]; t = substr(t, j + 1) }
            else { out = out "{"; t = substr(t, 2) }
        }
        gsub(/}}/, "}", t)
        print out t }'
}

# bands PDF DUMP LABEL — checks the header and footer band of every page against the
# templates in DUMP. Sets PAGES.
bands() {
    pdf=$1 dump=$2 label=$3
    pdfinfo "$pdf" >"$TMP/info"
    PAGES=$(sed -n 's/^Pages: *//p' "$TMP/info")
    page_h=$(sed -n 's/^Page size: *[0-9.]* x \([0-9.]*\) pts.*/\1/p' "$TMP/info")
    F_TITLE=$(sed -n 's/^Title: *//p' "$TMP/info")
    F_SECTION=$(sed -n 's/^Subject: *//p' "$TMP/info")
    F_SITE=$(dump_get "$TMP/mofcom.dump" reading site)
    F_SOURCE=$(dump_get "$TMP/mofcom.dump" reading source)
    top=$(to_pt "$(dump_get "$dump" page margin-top)")
    bottom=$(to_pt "$(dump_get "$dump" page margin-bottom)")
    # The header band ends where the text area starts; the footer band starts where it ends.
    head_h=${top%.*}
    foot_y=$(awk -v h="$page_h" -v b="$bottom" 'BEGIN { y = h - b; printf "%d", y == int(y) ? y : int(y) + 1 }')
    ok "$label: page count is a number" test "$PAGES" -ge 1
    p=1
    while [ "$p" -le "$PAGES" ]; do
        for band in header footer; do
            if [ "$p" -eq 1 ]; then pre=first-; else pre=; fi
            want=""
            for slot in left center right; do
                want="$want$(expand "$(dump_get "$dump" $band "$pre$slot")" "$p" "$PAGES")"
            done
            if [ $band = header ]; then
                got=$(pdf_text "$pdf" -f "$p" -l "$p" -x 0 -y 0 -W 2000 -H "$head_h" | squeeze)
            else
                got=$(pdf_text "$pdf" -f "$p" -l "$p" -x 0 -y "$foot_y" -W 2000 -H 2000 | squeeze)
            fi
            eq "$label: page $p $band is the ${pre}left/center/right templates" \
                "$(printf '%s' "$want" | squeeze)" "$got"
        done
        p=$((p + 1))
    done
}

# body_text PDF DUMP — the raw text of the text area of every page (line ends kept).
body_text() {
    top=$(to_pt "$(dump_get "$2" page margin-top)")
    bottom=$(to_pt "$(dump_get "$2" page margin-bottom)")
    h=$(pdfinfo "$1" | sed -n 's/^Page size: *[0-9.]* x \([0-9.]*\) pts.*/\1/p')
    n=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
    area=$(awk -v h="$h" -v t="$top" -v b="$bottom" 'BEGIN { printf "%d", h - t - b }')
    p=1
    while [ "$p" -le "$n" ]; do
        pdf_text "$1" -f "$p" -l "$p" -x 0 -y "${top%.*}" -W 2000 -H "$area"
        p=$((p + 1))
    done
}

"$IMPRINT" --dump-style mofcom >"$TMP/mofcom.dump"
# The speech as the site's rules read it: no breadcrumb, no chrome; the masthead only where
# the style sets one (mofcom; its " | " is not text but the line between site and extra).
sed -e '1d' -e '/^Home> Speeches$/d' -e '/^Release Comment:/d' \
    -e '/^Big Medium-sized Small$/d' "$SPEECH" | squeeze >"$TMP/speech-read"

for style in default letter archival mofcom; do
    pdf="$TMP/$style.pdf"
    "$IMPRINT" "$SPEECH" --style "$style" -o "$pdf" 2>"$TMP/err"
    ok "$style: the speech renders" test -s "$pdf"
    eq "$style: no messages" "" "$(cat "$TMP/err")"
    "$IMPRINT" --dump-style "$style" >"$TMP/$style.dump"

    size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
    case $style in
        letter) eq "$style: page size is Letter" "612 x 792 pts (letter)" "$size" ;;
        *)      eq "$style: page size is A4" "595.276 x 841.89 pts (A4)" "$size" ;;
    esac

    bands "$pdf" "$TMP/$style.dump" "$style"

    if [ "$style" = mofcom ]; then
        # The site style's reading rules drop the chrome; the speech test checks its text
        # in detail. Chosen by name or by detection, the result is the same file.
        "$IMPRINT" "$SPEECH" -o "$TMP/detected.pdf"
        ok "mofcom: --style mofcom gives the same PDF as detection" \
            cmp -s "$pdf" "$TMP/detected.pdf"
    elif [ "$style" != archival ]; then
        # Without reading rules of its own, the style reads with the site's: every
        # character of title, body and notice is in the text areas, in order, and the
        # chrome is not. (archival's every-page notice is checked below.)
        body_text "$pdf" "$TMP/$style.dump" >"$TMP/raw"
        unhyphenate "$TMP/speech-read" "$TMP/raw" >"$TMP/got"
        ok "$style: every character of title, body and notice in the text area, in order" \
            cmp -s "$TMP/speech-read" "$TMP/got"
        ok "$style: no web chrome" sh -c "! pdftotext '$pdf' - | grep -q 'Release Comment'"
    fi

    # Page 1 against the reviewed reference. speech.sh owns speech-mofcom-p1 (the same
    # page, as --style mofcom gives the same PDF), so an update never rewrites it here.
    pdftoppm -r 60 -f 1 -l 1 -png "$pdf" "$TMP/$style-p"
    if [ "$style" != mofcom ] || [ "${IMP_UPDATE_GOLDEN:-0}" != 1 ]; then
        golden "speech-$style-p1" "$(ls "$TMP/$style-p"*.png | head -1)"
    fi
done

# archival puts the notice, which it finds with the site's reading rules, at the foot of
# every page.
pdf="$TMP/archival.pdf"
eq "archival: the notice is placed on every page" "every-page" \
    "$(dump_get "$TMP/archival.dump" notice placement)"
bands "$pdf" "$TMP/archival.dump" "archival"
ok "archival: the speech still takes more than one page" test "$PAGES" -ge 2
# The notice as the speech gives it: from its first line to the end of the file.
sed -n '/^Ministry of Commerce Website Copyright and Disclaimer Statement$/,$p' "$SPEECH" \
    | squeeze >"$TMP/notice"
ok "archival: the notice was found in the speech" test -s "$TMP/notice"
top=$(to_pt "$(dump_get "$TMP/archival.dump" page margin-top)")
bottom=$(to_pt "$(dump_get "$TMP/archival.dump" page margin-bottom)")
# The foot of the text area: its lowest 30% (the notice at 7pt is about 80pt tall).
foot=$(awk -v t="$top" -v b="$bottom" 'BEGIN { a = 841.89 - t - b; printf "%d %d", 841.89 - b - 0.3 * a, 0.3 * a }')
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$pdf" -f "$p" -l "$p" -x 0 -y "${foot% *}" -W 2000 -H "${foot#* }" \
        | sed -n '/^Ministry of Commerce Website Copyright and Disclaimer Statement$/,$p' >"$TMP/foot"
    unhyphenate "$TMP/notice" "$TMP/foot" >"$TMP/foot-text"
    ok "archival: page $p has the whole notice at the foot of its text area" \
        cmp -s "$TMP/notice" "$TMP/foot-text"
    eq "archival: page $p has the notice once" "1" \
        "$(pdf_text "$pdf" -f "$p" -l "$p" | grep -c '^Ministry of Commerce Website Copyright and Disclaimer Statement$')"
    p=$((p + 1))
done
# The body is the speech without masthead, breadcrumb, chrome and notice, complete and
# in order; each page's text area is its share of the body followed by the whole notice.
sed -e '1d' -e '/^Home> Speeches$/d' -e '/^Release Comment:/d' -e '/^Big Medium-sized Small$/d' \
    -e '/^Ministry of Commerce Website Copyright and Disclaimer Statement$/,$d' "$SPEECH" \
    | squeeze >"$TMP/expect"
: >"$TMP/body-raw"
heading='^Ministry of Commerce Website Copyright and Disclaimer Statement$'
p=1
while [ "$p" -le "$PAGES" ]; do
    pdf_text "$pdf" -f "$p" -l "$p" -x 0 -y "${top%.*}" -W 2000 \
        -H "$(awk -v t="$top" -v b="$bottom" 'BEGIN { printf "%d", 841.89 - t - b }')" \
        >"$TMP/page"
    sed -n "/$heading/,\$p" "$TMP/page" >"$TMP/page-notice"
    unhyphenate "$TMP/notice" "$TMP/page-notice" >"$TMP/page-notice-text"
    ok "archival: page $p's text area ends with the whole notice" \
        cmp -s "$TMP/notice" "$TMP/page-notice-text"
    sed "/$heading/,\$d" "$TMP/page" >>"$TMP/body-raw"
    p=$((p + 1))
done
unhyphenate "$TMP/expect" "$TMP/body-raw" >"$TMP/got"
ok "archival: the body text, complete and in order" cmp -s "$TMP/expect" "$TMP/got"

# --set changes the page for one run.
"$IMPRINT" "$SPEECH" --set page.size=A5 -o "$TMP/a5.pdf"
ok "--set page.size=A5: page is 148x210mm" \
    sh -c "pdfinfo '$TMP/a5.pdf' | grep -Eq '^Page size: +419.528 x 595.276 pts'"
"$IMPRINT" "$SPEECH" --set page.orientation=landscape -o "$TMP/land.pdf"
ok "--set page.orientation=landscape: A4 turned" \
    sh -c "pdfinfo '$TMP/land.pdf' | grep -Eq '^Page size: +841.89 x 595.276 pts'"
"$IMPRINT" "$SPEECH" --style letter --set page.orientation=landscape -o "$TMP/lland.pdf"
ok "--style letter --set page.orientation=landscape: Letter turned" \
    sh -c "pdfinfo '$TMP/lland.pdf' | grep -Eq '^Page size: +792 x 612 pts'"
finish
