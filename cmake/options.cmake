# Warnings and sanitizers as INTERFACE targets, linked by every Kehou target.
add_library(kehou_warnings INTERFACE)
target_compile_options(kehou_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor -Werror
  -Wno-error=deprecated-declarations)

add_library(kehou_options INTERFACE)
target_include_directories(kehou_options INTERFACE ${CMAKE_SOURCE_DIR}/src)
# Only the shared libraries a binary calls are recorded as needed (fewer to load at start).
target_link_options(kehou_options INTERFACE -Wl,--as-needed)
if(KEHOU_SANITIZE)
  target_compile_options(kehou_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kehou_options INTERFACE -fsanitize=address,undefined)
endif()
