# The floors of the house (docs/architecture.md), checked in the sources: a stage includes
# and links only stages on lower floors, and the command includes only the public API.
#
#   cli -> pipeline -> finish -> render -> layout, read -> style, model -> util
#
# Stages on one floor (layout and read; style and model) do not use each other either. A
# public header (include/imprint/) belongs to the floor of the stage that defines it.
. "$IMP_SOURCE_DIR/tests/lib.sh"
cd "$IMP_SOURCE_DIR"

# stage_of NAME — the stage a stage name or a public header (by its file name) belongs to.
stage_of() {
    case "$1" in
        imprint-export.h|imprint-version.h|imprint-error.h|imprint-diag.h) echo util ;;
        imprint-document.h) echo model ;;
        imprint-style.h) echo style ;;
        imprint-read.h) echo read ;;
        imprint-layout.h) echo layout ;;
        imprint-render.h) echo render ;;
        imprint.h) echo pipeline ;;
        *) echo "$1" ;;
    esac
}

# floor STAGE — its floor, counted from the bottom.
floor() {
    case "$1" in
        util) echo 0 ;;
        model|style) echo 1 ;;
        read|layout) echo 2 ;;
        render) echo 3 ;;
        finish) echo 4 ;;
        pipeline) echo 5 ;;
        cli) echo 6 ;;
        *) echo "unknown stage: $1" >&2; echo 99 ;;
    esac
}

# may_use FROM TO — FROM (a stage or public header) may include or link TO: its own stage,
# or a lower floor.
may_use() {
    a=$(stage_of "$1") b=$(stage_of "$2")
    [ "$a" = "$b" ] || [ "$(floor "$b")" -lt "$(floor "$a")" ]
}

checked=0
for dir in src/*/; do
    stage=$(basename "$dir")
    for f in "$dir"*.[ch]; do
        [ -e "$f" ] || continue
        # "../STAGE/x.h" and "STAGE/x.h" name a stage; <imprint/x.h> a public header
        grep -ho '#include *["<][^">]*[">]' "$f" | sed 's/#include *//' >"$TMP/inc" || true
        while read -r inc; do
            case "$inc" in
                \"../*/*\") to=$(echo "$inc" | sed 's|"\.\./\([^/]*\)/.*|\1|') ;;
                \"*/*\") to=$(echo "$inc" | sed 's|"\([^/]*\)/.*|\1|') ;;
                \<imprint/*\>) to=$(echo "$inc" | sed 's|<imprint/\(.*\)>|\1|') ;;
                *) continue ;; # the stage's own files, system headers
            esac
            checked=$((checked + 1))
            if [ "$stage" = cli ]; then
                eq "$f: the command includes the public API only" "imprint.h" "$to"
            else
                ok "$f includes $inc: $stage may use $to" may_use "$stage" "$to"
            fi
        done <"$TMP/inc"
    done
done
for f in include/imprint/*.h; do
    h=$(basename "$f")
    for to in $(grep -ho '#include <imprint/[^>]*>' "$f" | sed 's|#include <imprint/\(.*\)>|\1|'); do
        checked=$((checked + 1))
        ok "$f includes $to: a public header uses its floor and below" may_use "$h" "$to"
    done
    ok "$f includes no internal header" sh -c "! grep -q '#include \"' '$f'"
done
ok "some includes were checked" test "$checked" -gt 20

# imp_stage(NAME DEPS imp-A imp-B ...) in CMakeLists.txt: links go down too.
grep '^imp_stage(' CMakeLists.txt | sed 's/^imp_stage(\(.*\))$/\1/' >"$TMP/stages"
ok "CMakeLists.txt declares the stages" test -s "$TMP/stages"
while read -r name rest; do
    for dep in $(echo "$rest" | sed 's/^DEPS//'); do
        to=${dep#imp-}
        ok "CMakeLists.txt: $name links $to, a lower floor" may_use "$name" "$to"
    done
done <"$TMP/stages"
finish
