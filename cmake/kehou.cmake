# kehou_module(NAME name SOURCES ... DEPS ... TESTS ... TEST_DEPS ...)
# One library per module, with its unit tests in one test binary registered with CTest.
function(kehou_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(kehou_${M_NAME} STATIC ${M_SOURCES})
  target_link_libraries(kehou_${M_NAME} PUBLIC kehou_options ${M_DEPS} PRIVATE kehou_warnings)
  if(M_TESTS)
    add_executable(kehou_${M_NAME}_test ${M_TESTS})
    target_link_libraries(kehou_${M_NAME}_test PRIVATE kehou_${M_NAME} ${M_TEST_DEPS}
                          GTest::gtest GTest::gtest_main GTest::gmock kehou_warnings)
    add_test(NAME ${M_NAME} COMMAND kehou_${M_NAME}_test)
    set_tests_properties(${M_NAME} PROPERTIES LABELS unit)  # KEHOU_TEST_PG passes through from the environment
  endif()
endfunction()

# kehou_build_sets(): the two sets scripts/run-tests builds, from every executable in the build
# (so a new program or test binary joins one by its name, with nothing to list by hand):
# - kehou_programs: every program but the unit tests (the server, the bench drivers): what the
#   release tree builds for the API and browser tests and the benches;
# - kehou_unit_tests: every unit-test binary (*_test) and the server, which the command-line tests
#   (serve_busy_port, timetable_cli) run: what the ASan/UBSan tree builds and runs on both databases.
function(kehou_executables dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  set(found "")
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    get_target_property(excluded ${t} EXCLUDE_FROM_ALL)
    if(type STREQUAL "EXECUTABLE" AND NOT excluded)
      list(APPEND found ${t})
    endif()
  endforeach()
  foreach(d ${subdirs})
    kehou_executables(${d} sub)
    list(APPEND found ${sub})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(kehou_build_sets)
  kehou_executables(${CMAKE_SOURCE_DIR} exes)
  set(programs ${exes})
  list(FILTER programs EXCLUDE REGEX "_test$")
  set(tests ${exes})
  list(FILTER tests INCLUDE REGEX "_test$")
  add_custom_target(kehou_programs)
  add_custom_target(kehou_unit_tests)
  if(programs)
    add_dependencies(kehou_programs ${programs})
  endif()
  if(tests)
    add_dependencies(kehou_unit_tests ${tests})
  endif()
  if(TARGET kehou)
    add_dependencies(kehou_unit_tests kehou)
  endif()
endfunction()
