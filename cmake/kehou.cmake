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
