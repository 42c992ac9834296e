# Install test: `cmake --install` of this build into a temporary prefix, then, as a
# program outside the project would: the files are there; libimprint.so exports exactly
# the functions the installed headers mark IMP_EXPORT (all imp_, no imp__ internals); the
# examples build against the prefix alone with pkg-config (shared and static) and with
# find_package, run, and their PDFs hold the text and embed their fonts; the installed
# command runs from the prefix (library and data found beside it).
. "$IMP_SOURCE_DIR/tests/lib.sh"
: "${IMP_BUILD_DIR:?run under ctest}"
SPEECH="$IMP_SOURCE_DIR/examples/speech.txt"
CC=${CC:-cc}
CFLAGS="-O1 -Wall -Wextra -Werror ${IMP_TEST_CFLAGS:-}"
P="$TMP/prefix"
unset IMPRINT_DATADIR # the library must find the prefix's data on its own

"${CMAKE_COMMAND:-cmake}" --install "$IMP_BUILD_DIR" --prefix "$P" >"$TMP/install.log"
LIB=$(dirname "$(find "$P" -name 'libimprint.so.0' | head -n 1)")
ok "libimprint.so.0 is installed" test -n "$LIB" -a -e "$LIB/libimprint.so.0"
for f in bin/imprint include/imprint/imprint.h include/imprint/imprint-version.h \
         share/imprint/styles/default.style share/imprint/fonts/fonts.conf \
         share/man/man1/imprint.1 share/doc/imprint/examples/hello.c \
         share/doc/imprint/examples/Makefile share/doc/imprint/examples/CMakeLists.txt; do
    ok "installed: $f" test -s "$P/$f"
done
for f in libimprint.a libimprint.so "libimprint.so.0.2.0" pkgconfig/imprint.pc \
         cmake/imprint/imprintConfig.cmake cmake/imprint/imprintConfigVersion.cmake; do
    ok "installed: LIBDIR/$f" test -e "$LIB/$f"
done
ok "no internal header is installed" sh -c "! ls '$P/include/imprint' | grep -qv '^imprint'"

# ---- the shared library: SONAME, and exactly the public API exported ----------------
eq "SONAME" "libimprint.so.0" \
    "$(readelf -d "$LIB/libimprint.so.0.2.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
nm -D --defined-only "$LIB/libimprint.so.0.2.0" | awk '{ print $NF }' | sort >"$TMP/exported"
n=$(wc -l <"$TMP/exported")
echo "libimprint.so exports $n symbols"
ok "it exports something" test "$n" -gt 50
eq "every exported symbol is imp_" "" "$(grep -v '^imp_' "$TMP/exported" || true)"
eq "no imp__ internal is exported" "" "$(grep '^imp__' "$TMP/exported" || true)"
cat "$P"/include/imprint/*.h | tr '\n' ' ' | sed 's/;/;\n/g' \
    | sed -n 's/.*IMP_EXPORT[^(]*[ *]\(imp_[a-z0-9_]*\) *(.*/\1/p' | sort -u >"$TMP/declared"
eq "the exported symbols are the IMP_EXPORT declarations of the installed headers" "" \
    "$(diff "$TMP/declared" "$TMP/exported" || true)"

# ---- pkg-config, against the prefix alone ---------------------------------------------
export PKG_CONFIG_PATH="$LIB/pkgconfig"
eq "pkg-config --modversion" "0.2.0" "$(pkg-config --modversion imprint)"
ok "pkg-config --cflags names the prefix's include folder" \
    sh -c "pkg-config --cflags imprint | grep -q -- '-I$P/.*include'"
ok "pkg-config --cflags names nothing of the source tree" \
    sh -c "! pkg-config --cflags --libs imprint | grep -q '$IMP_SOURCE_DIR'"
ok "pkg-config --static --libs has the private dependencies" \
    sh -c "pkg-config --static --libs imprint | grep -q -- '-lhyphen' && pkg-config --static --libs imprint | grep -q -- '-lpangocairo'"

# check_hello DESC PDF — the PDF holds hello.c's text and embeds every font.
check_hello() {
    ok "$1: a PDF" test -s "$2"
    [ -s "$2" ] || return 0
    pdftotext -enc UTF-8 "$2" - | squeeze >"$TMP/hello.txt"
    eq "$1: pdftotext gives the string back" \
        "Hello,imprintimprint把中文和English排在同一行：汉字与拉丁字母之间留出四分之一个全角空格。第1页，共1页" \
        "$(cat "$TMP/hello.txt")"
    pdffonts "$2" | tail -n +3 >"$TMP/fonts"
    ok "$1: has fonts" test -s "$TMP/fonts"
    eq "$1: every font embedded" "" "$(awk '$(NF-4) != "yes"' "$TMP/fonts")"
    ok "$1: a CJK font for the Chinese" grep -q 'CJK' "$TMP/fonts"
    ok "$1: a Latin font for the English" grep -q 'NotoSerif-Regular' "$TMP/fonts"
}

mkdir "$TMP/ex"
make -s -C "$TMP/ex" -f "$IMP_SOURCE_DIR/examples/Makefile" srcdir="$IMP_SOURCE_DIR/examples" \
    CC="$CC" CFLAGS="$CFLAGS" >"$TMP/make.log" 2>&1 || cat "$TMP/make.log" >&2
for p in hello pages inspect; do
    ok "examples/$p.c builds with pkg-config --cflags --libs imprint" test -x "$TMP/ex/$p"
done
ok "examples/hello.c is at most 30 lines" test "$(wc -l <"$IMP_SOURCE_DIR/examples/hello.c")" -le 30
ok "the examples include only <imprint/imprint.h> of imprint" \
    sh -c "! grep -h '#include' '$IMP_SOURCE_DIR'/examples/*.c | grep -v -e '<imprint/imprint.h>' -e '<stdio.h>' -e '<string.h>' | grep -q ."
export LD_LIBRARY_PATH="$LIB"
ok "hello links the prefix's libimprint.so.0" \
    sh -c "ldd '$TMP/ex/hello' | grep -q 'libimprint.so.0 => $LIB/libimprint.so.0'"
(cd "$TMP/ex" && ./hello)
check_hello "hello (pkg-config, shared)" "$TMP/ex/hello.pdf"

mkdir "$TMP/pages"
"$TMP/ex/pages" "$SPEECH" "$TMP/pages" >"$TMP/pages.out" 2>"$TMP/pages.err"
ok "pages: says the style and the pages" \
    grep -q "speech.txt: style mofcom, 2 pages of 595 x 842 pt" "$TMP/pages.out"
ok "pages: reports the style chosen" grep -q "^pages: style: mofcom ($P/share/imprint/styles/mofcom.style)" "$TMP/pages.err"
eq "pages: all.pdf has every page" "2" "$(pdfinfo "$TMP/pages/all.pdf" | awk '/^Pages:/ { print $2 }')"
eq "pages: last.pdf has one page" "1" "$(pdfinfo "$TMP/pages/last.pdf" | awk '/^Pages:/ { print $2 }')"
pdftotext -f 2 -l 2 "$TMP/pages/all.pdf" - | squeeze >"$TMP/p2-all"
pdftotext "$TMP/pages/last.pdf" - | squeeze >"$TMP/p2-last"
ok "pages: last.pdf is the layout's last page" cmp -s "$TMP/p2-all" "$TMP/p2-last"
ok "pages: first.png is a PNG" sh -c "head -c 8 '$TMP/pages/first.png' | grep -q PNG"
"$P/bin/imprint" "$SPEECH" -o "$TMP/cli-all.pdf" 2>/dev/null
ok "pages: all.pdf is the imprint command's PDF (same creation date), byte for byte" \
    cmp -s "$TMP/pages/all.pdf" "$TMP/cli-all.pdf"

"$TMP/ex/inspect" "$SPEECH" >"$TMP/inspect.out"
ok "inspect: the title the reader found" \
    grep -q "^title: Vice Minister Jiang delivered a speech" "$TMP/inspect.out"
ok "inspect: the section from the breadcrumb" grep -q "^section: Speeches$" "$TMP/inspect.out"
ok "inspect: the title block on line 4" grep -q "^4	title	Vice Minister Jiang" "$TMP/inspect.out"
ok "inspect: the masthead line is not a block" sh -c "! grep -q 'MOFCOM | ' '$TMP/inspect.out'"

# ---- static: libimprint.a with pkg-config --static ------------------------------------
$CC $CFLAGS $(pkg-config --cflags imprint) "$IMP_SOURCE_DIR/examples/hello.c" \
    -o "$TMP/ex/hello-static" "$LIB/libimprint.a" \
    $(pkg-config --static --libs imprint | sed 's/-limprint//') 2>"$TMP/static.log" \
    || cat "$TMP/static.log" >&2
ok "hello builds against libimprint.a" test -x "$TMP/ex/hello-static"
ok "hello-static needs no libimprint.so" sh -c "! readelf -d '$TMP/ex/hello-static' | grep -q libimprint"
mkdir "$TMP/static"
(cd "$TMP/static" && IMPRINT_DATADIR="$P/share/imprint" "$TMP/ex/hello-static")
check_hello "hello (libimprint.a)" "$TMP/static/hello.pdf"

# ---- find_package(imprint) in a small CMake project -----------------------------------
"${CMAKE_COMMAND:-cmake}" -S "$P/share/doc/imprint/examples" -B "$TMP/cm" \
    -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
    >"$TMP/cm.log" 2>&1 || cat "$TMP/cm.log" >&2
"${CMAKE_COMMAND:-cmake}" --build "$TMP/cm" >>"$TMP/cm.log" 2>&1 || cat "$TMP/cm.log" >&2
ok "find_package(imprint) builds hello" test -x "$TMP/cm/hello"
mkdir "$TMP/cmrun"
(cd "$TMP/cmrun" && "$TMP/cm/hello")
check_hello "hello (find_package)" "$TMP/cmrun/hello.pdf"

# ---- the installed command -------------------------------------------------------------
unset LD_LIBRARY_PATH
eq "installed imprint --version" "imprint 0.2.0" "$("$P/bin/imprint" --version)"
found=$(ldd "$P/bin/imprint" | sed -n 's/.*libimprint.so.0 => \([^ ]*\) .*/\1/p')
eq "installed imprint finds its library beside it" "$(realpath "$LIB/libimprint.so.0")" \
    "$(realpath "${found:-/nonexistent}" 2>/dev/null || echo "${found:-none}")"
"$IMPRINT" "$SPEECH" -o "$TMP/build.pdf"
"$P/bin/imprint" "$SPEECH" -o "$TMP/installed.pdf" -v 2>"$TMP/installed.err"
ok "installed imprint uses the prefix's styles" grep -q "style: mofcom ($P/share/imprint/styles/mofcom.style)" "$TMP/installed.err"
ok "installed imprint gives the build's PDF, byte for byte" cmp -s "$TMP/build.pdf" "$TMP/installed.pdf"
finish
