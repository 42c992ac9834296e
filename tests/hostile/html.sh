# Hostile saved pages (tests/hostile/gen.sh, html-* cases): unclosed tags, 100,000 nested
# elements, a 10 MB attribute, entities, a page of scripts, table spans, deep lists. Each
# ends with a document or one clear message naming the file and line, first in the HTML
# reader alone (tests/tools/read-input), then through imprint into a PDF.
. "$IMP_SOURCE_DIR/tests/lib.sh"
. "$IMP_SOURCE_DIR/tests/hostile/common.sh"
: "${READ_INPUT:?run under ctest, which sets READ_INPUT}"
gen html-unclosed-p html-unclosed-b html-nested html-attr10m html-entities html-script \
    html-colspan html-lists
O="$TMP/pdf"
mkdir -p "$O"

# read CASE — runs the HTML reader alone; sets $st, its summary in $TMP/out, messages in
# $TMP/err.
read_page() {
    set +e
    "$READ_INPUT" --from html "$IN/$1.html" >"$TMP/out" 2>"$TMP/err"
    st=$?
    set -e
}

# reads CASE BLOCKS — the reader gives a document of BLOCKS blocks, no warning.
reads() {
    read_page "$1"
    sane "$1 (reader)"
    eq "$1 (reader): exit status" 0 "$st"
    ok "$1 (reader): $2 blocks (got: $(cat "$TMP/out"))" grep -q "^$2 blocks," "$TMP/out"
    eq "$1 (reader): no warning" "" "$(grep ': warning: ' "$TMP/err" | head -c 300)"
}

# refuses CASE PATTERN — the reader fails with one message matching PATTERN.
refuses() {
    read_page "$1"
    sane "$1 (reader)"
    eq "$1 (reader): exit status" 1 "$st"
    ok "$1 (reader): message matches '$2' (got: $(grep '^read-input:' "$TMP/err" | head -c 300))" \
        grep -Eq "^read-input: $2" "$TMP/err"
}

reads html-unclosed-p 20000
reads html-attr10m 2
reads html-entities 3
reads html-lists 120
refuses html-unclosed-b ".*/html-unclosed-b.html:1: elements nested more than 256 deep \(unclosed tags\?\)"
refuses html-nested ".*/html-nested.html:3: elements nested more than 256 deep"
refuses html-script ".*/html-script.html: no text to typeset \(the page's article is empty"
refuses html-colspan ".*/html-colspan.html:[0-9]+: too many blocks and table cells: imprint sets at most 500000"

# what the reader keeps of the entities: the references HTML knows, the others as written;
# the internal subset's entities are not expanded (the HTML parser does not read DTDs), and
# references to no character (&#0;, a surrogate, past U+10FFFF) are dropped
"$READ_INPUT" --from html --text 1 "$IN/html-entities.html" >"$TMP/out" 2>"$TMP/err"
eq "html-entities: the first paragraph" "Entities: &d;&d;&d; & <tag> 中文 &nosuch;" \
    "$(sed -n 3p "$TMP/out")"
eq "html-entities: 100,000 x 3 references" "300000" \
    "$(sed -n 4p "$TMP/out" | sed 's/&Aé/xyz/g' | tr -d '\n' | wc -c)"

# ---- the same pages through imprint, once it reads HTML (--from)
if ! "$IMPRINT" --help 2>&1 | grep -q -- '--from'; then
    echo "imprint does not read HTML yet (no --from): the command-line half is skipped"
    finish
    exit $?
fi

run --from html "$IN/html-unclosed-p.html" -o "$O/unclosed-p.pdf"
pdf_ok "20,000 unclosed <p> and <li>" "$O/unclosed-p.pdf"
has_text "20,000 unclosed <p> and <li>" "$O/unclosed-p.pdf" "Paragraph10000,neverclosed.•Item10000"
run --from html "$IN/html-attr10m.html" -o "$O/attr.pdf"
pdf_ok "a 10 MB attribute" "$O/attr.pdf"
has_text "a 10 MB attribute" "$O/attr.pdf" "ThetextAfterit."
run --from html "$IN/html-entities.html" -o "$O/entities.pdf"
pdf_ok "entities" "$O/entities.pdf"
has_text "entities" "$O/entities.pdf" "&<tag>中文"
run --from html "$IN/html-lists.html" -o "$O/lists.pdf"
pdf_ok "120 nested lists" "$O/lists.pdf"
run --from html "$IN/html-unclosed-b.html" -o "$O/unclosed-b.pdf"
fails "100,000 unclosed <b>" "html-unclosed-b.html:1: elements nested more than 256 deep" "$O/unclosed-b.pdf"
run --from html "$IN/html-nested.html" -o "$O/nested.pdf"
fails "100,000 nested <div>" "html-nested.html:3: elements nested more than 256 deep" "$O/nested.pdf"
run --from html "$IN/html-script.html" -o "$O/script.pdf"
fails "a page of scripts" "html-script.html: no text to typeset" "$O/script.pdf"
run --from html "$IN/html-colspan.html" -o "$O/colspan.pdf"
fails "table spans" "html-colspan.html:[0-9]+: too many blocks and table cells" "$O/colspan.pdf"
finish
