# Third-party libraries, all from Debian 12 packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(GTest REQUIRED)
find_package(CLI11 CONFIG QUIET)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
# PDF documents (src/pdf): cairo draws, pango lays out and shapes CJK text with fontconfig.
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_library(HTTP_PARSER_LIB http_parser REQUIRED)
# FET timetable files (src/timetable/fet.cpp).
pkg_check_modules(PUGIXML REQUIRED IMPORTED_TARGET pugixml)
# Tests read exported XLSX files back (src/testkit): zlib inflates the ZIP members.
find_package(ZLIB REQUIRED)
# libpq, cairo/pango, qrencode, libxlsxwriter and libsqlite3 are opened with dlopen when first used (src/db/libpq_lazy.cpp,
# src/pdf/lazy.h, src/people/xlsx_lazy.h, src/db/sqlite_lazy.h), so `kehou` starts without loading ~55 shared libraries. Their modules compile
# against the headers only: these targets carry the packages' include directories and compile
# options (the same flags as linking the packages, so ccache keeps its hits), not the libraries.
foreach(pkg LIBPQ PANGOCAIRO QRENCODE XLSXWRITER SQLITE3)
  add_library(kehou_headers_${pkg} INTERFACE IMPORTED)
  foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_OPTIONS)
    get_target_property(v PkgConfig::${pkg} ${prop})
    if(v)
      set_target_properties(kehou_headers_${pkg} PROPERTIES ${prop} "${v}")
    endif()
  endforeach()
endforeach()
