# Fails when a doctest test case's name holds a semicolon: ctest's discovery splits the name there,
# and the test it registers then runs no test case and passes, whatever the code does.
# Run as: cmake -DTESTS=<tests dir> -P check_test_names.cmake
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE sources "${TESTS}/*.cpp")
set(bad "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" lines REGEX "TEST_CASE\\(\"")
  foreach(line IN LISTS lines)
    if(line MATCHES "TEST_CASE\\(\"[^\"]*;")
      list(APPEND bad "${source}: ${line}")
    endif()
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n  " shown)
  message(FATAL_ERROR "test case names with a semicolon (ctest would run nothing for them):\n  ${shown}")
endif()
