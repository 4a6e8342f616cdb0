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
# The tests' XLSX reader (src/testkit/xlsx_read.cpp); `kehou` reads .fet files with its own pull
# reader (src/timetable/xml_pull.h) and no longer links pugixml.
pkg_check_modules(PUGIXML REQUIRED IMPORTED_TARGET pugixml)
# The C libraries every `kehou` run needs (libsodium, OpenSSL, http_parser; pugixml for the tests) are linked
# from the static archives Debian ships with them: the dynamic loader then neither loads nor
# relocates them at each start (about 1.5 ms of the 4 ms a `kehou timetable solve` spent before
# main; docs/ARCHITECTURE.md "Start-up"). Not in the sanitizer and fuzz trees (as before there).
if(NOT KEHOU_SANITIZE AND NOT KEHOU_FUZZ)
  # FindOpenSSL (src/fees, src/notify) takes these (a build tree configured before keeps the
  # shared ones in its cache, hence the plain variables).
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  find_library(OPENSSL_CRYPTO_STATIC libcrypto.a)
  find_library(OPENSSL_SSL_STATIC libssl.a)
  if(OPENSSL_CRYPTO_STATIC AND OPENSSL_SSL_STATIC)
    set(OPENSSL_CRYPTO_LIBRARY ${OPENSSL_CRYPTO_STATIC})
    set(OPENSSL_SSL_LIBRARY ${OPENSSL_SSL_STATIC})
  endif()
  find_library(HTTP_PARSER_STATIC libhttp_parser.a)
  find_library(SODIUM_STATIC libsodium.a)
  find_library(PUGIXML_STATIC libpugixml.a)
  if(HTTP_PARSER_STATIC)
    set(HTTP_PARSER_LIB ${HTTP_PARSER_STATIC})
  endif()
  if(SODIUM_STATIC)
    set_target_properties(PkgConfig::SODIUM PROPERTIES INTERFACE_LINK_LIBRARIES ${SODIUM_STATIC})
  endif()
  if(PUGIXML_STATIC)
    set_target_properties(PkgConfig::PUGIXML PROPERTIES INTERFACE_LINK_LIBRARIES ${PUGIXML_STATIC})
  endif()
  # spdlog and fmt, the last C++ shared libraries, come compiled from their headers
  # (cmake/spdlog_fmt.cpp) into a static archive that the packages' imported targets now name
  # (their compile definitions stay, so nothing recompiles); then `kehou` links libstdc++ and
  # libgcc statically (src/app/CMakeLists.txt) and the loader maps libc and libm alone.
  add_library(kehou_spdlog_fmt STATIC ${CMAKE_SOURCE_DIR}/cmake/spdlog_fmt.cpp)
  target_compile_definitions(kehou_spdlog_fmt PRIVATE SPDLOG_COMPILED_LIB SPDLOG_SHARED_LIB SPDLOG_FMT_EXTERNAL FMT_SHARED)
  set_target_properties(kehou_spdlog_fmt PROPERTIES ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/vendor)
  foreach(t fmt::fmt spdlog::spdlog)
    set_target_properties(${t} PROPERTIES IMPORTED_LOCATION_NONE ${CMAKE_BINARY_DIR}/vendor/libkehou_spdlog_fmt.a
                                          IMPORTED_LOCATION ${CMAKE_BINARY_DIR}/vendor/libkehou_spdlog_fmt.a)
  endforeach()
  set(KEHOU_STATIC_LIBSTDCXX ON)
endif()
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
