# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Helpers shared by every module: warning and sanitizer flags applied per target (never to
# third-party code), and ringkv_add_test(), the one way a test executable is declared.

set(RINGKV_COPTS -Wall -Wextra -Wshadow)
if(RINGKV_WERROR)
  list(APPEND RINGKV_COPTS -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND RINGKV_COPTS -Wthread-safety)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O2/-O3 reports impossible -Wrestrict overlaps inside libstdc++'s std::string
  # (GCC bug 105329); it fires on ordinary string concatenation in Release builds only.
  list(APPEND RINGKV_COPTS -Wno-restrict)
endif()

set(RINGKV_SANITIZE_FLAGS "")
if(RINGKV_SANITIZE)
  set(RINGKV_SANITIZE_FLAGS -fsanitize=${RINGKV_SANITIZE} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
  # Sanitizers apply to the whole program, third-party code linked statically included.
  add_compile_options(${RINGKV_SANITIZE_FLAGS})
  add_link_options(${RINGKV_SANITIZE_FLAGS})
endif()

# ringkv_target_options(<target>): warnings for a target we own.
function(ringkv_target_options target)
  target_compile_options(${target} PRIVATE ${RINGKV_COPTS})
endfunction()

# ringkv_add_library(<name> ALIAS <alias> SOURCES ... DEPS ... [PRIVATE_DEPS ...])
function(ringkv_add_library name)
  cmake_parse_arguments(ARG "" "ALIAS" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  ringkv_target_options(${name})
  if(ARG_ALIAS)
    add_library(${ARG_ALIAS} ALIAS ${name})
  endif()
endfunction()

# ringkv_add_test(<name> SOURCES ... DEPS ... [LABELS ...] [TIMEOUT s])
# Builds a GoogleTest executable, links gtest_main, and registers each test case with ctest.
function(ringkv_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  ringkv_target_options(${name})
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    DISCOVERY_TIMEOUT 60)
endfunction()
