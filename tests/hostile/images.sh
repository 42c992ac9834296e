# Hostile images (tests/hostile/gen.sh, img-*): a text file named .png, a PNG and a JPEG
# cut short, PNG and JPEG headers stating 50,000 x 50,000 pixels (checked before anything
# is decoded), an SVG of 50,000 x 50,000 px under a blur, 3,000 missing images and a data:
# URI of 3 MB that is no image, each in a Markdown file beside its image.
# Every one sets a PDF: a warning naming the file and line of each image that cannot be
# set, its alt text set in its place (the SVG is set: its blur rasterised at the size it is
# drawn, not at 50,000 px); and --strict refuses it with no output. The ctest timeout catches a hang; tools/hostile-limits measures time and memory.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
CASES="img-text img-cut-png img-cut-jpg img-huge-png img-huge-jpg img-svg-huge img-many
       img-data"
gen $CASES
O="$TMP/pdf"
mkdir -p "$O"

# why CASE — the reason the warning of an img-* case gives.
why() {
    case $1 in
    img-text) echo "not a PNG, JPEG or SVG image" ;;
    img-cut-png) echo "not a valid PNG image: its data is cut short or damaged" ;;
    img-cut-jpg) echo "not a valid JPEG image: .*" ;;
    img-huge-*) echo "50000 × 50000 pixels, more than the 100 million imprint sets" ;;
    img-many) echo "cannot read .*/missing-1.png: No such file or directory" ;;
    img-data) echo "not a PNG, JPEG or SVG image" ;;
    esac
}

for c in $CASES; do
    run "$IN/$c.md" -o "$O/$c.pdf"
    pdf_ok "$c" "$O/$c.pdf"
    if [ "$c" = img-svg-huge ]; then
        eq "$c: no message" "" "$(cat "$TMP/err")"
        has_text "$c: the caption" "$O/$c.pdf" "Caption"
        continue
    fi
    ok "$c: a warning naming the file, the line and the reason (got: $(head -c 300 "$TMP/err"))" \
        grep -Eq "^imprint: .*/$c\.md:3: warning: image '.*': $(why "$c"); its alt text is set in its place$" \
        "$TMP/err"
    case $c in
    img-many)
        eq "$c: a warning for each image" 3000 "$(grep -c ': warning: image ' "$TMP/err")"
        has_text "$c: the last alt text" "$O/$c.pdf" "alt3000" ;;
    img-data) has_text "$c: the alt text" "$O/$c.pdf" "altofthedata" ;;
    *) has_text "$c: the alt text" "$O/$c.pdf" "替代文字alttextof$(echo "$c" | tr -d -)"
       has_text "$c: the caption" "$O/$c.pdf" "Caption" ;;
    esac
    # --strict: a failure, and no output
    run --strict "$IN/$c.md" -o "$O/$c-strict.pdf"
    sane "$c --strict"
    eq "$c --strict: exit status" 1 "$st"
    ok "$c --strict: the refusal says why" \
        grep -Eq "^imprint: .*$c\.md: [0-9]+ problems? reported; --strict writes no output$" \
        "$TMP/err"
    ok "$c --strict: no output file" test ! -e "$O/$c-strict.pdf"
done
finish
