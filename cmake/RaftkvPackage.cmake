# The installable CMake package `raftkv` (docs: README.md, "Using the library from your
# project"). Consumers get namespaced targets, either from an install:
#   find_package(raftkv CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE raftkv::kv)
# or from the source tree with add_subdirectory(raft-kv) -- the same raftkv:: names are
# ALIAS targets there, so a consumer's CMakeLists.txt reads the same either way.
#
# Adding a target to the package is one line after its add_library:
#   raftkv_export(<target> <name>)            # -> raftkv::<name>, in the runtime set
#   raftkv_export(<target> <name> TESTING)    # -> in the testing set (needs GTest/RapidCheck)
# and, for a folder of public headers:
#   raftkv_install_headers(<source dir> <include subdir>)

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RAFTKV_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/raftkv)

function(raftkv_export target name)
  cmake_parse_arguments(E "TESTING" "" "" ${ARGN})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  # Installed as libraftkv_<name>.a: no clash with another project's libraft.a in a prefix.
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "INTERFACE_LIBRARY")
    set_target_properties(${target} PROPERTIES OUTPUT_NAME raftkv_${name})
  endif()
  add_library(raftkv::${name} ALIAS ${target})
  if(NOT RAFTKV_INSTALL)
    return()
  endif()
  if(E_TESTING)
    set(set raftkvTestingTargets)
  else()
    set(set raftkvTargets)
  endif()
  install(TARGETS ${target} EXPORT ${set}
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

# Installs every .h under `dir` (keeping sub-folders) as <prefix>/include/<subdir>/...
function(raftkv_install_headers dir subdir)
  if(RAFTKV_INSTALL)
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${subdir}
            FILES_MATCHING PATTERN "*.h")
  endif()
endfunction()

# The include root of a folder of the repository: the source tree while building, the
# install prefix's include/ once installed.
function(raftkv_include_root target scope dir)
  target_include_directories(${target} ${scope}
    $<BUILD_INTERFACE:${dir}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endfunction()

# Called once, at the end of the top-level CMakeLists.txt: the export files and the
# package's config and version files.
function(raftkv_install_package)
  if(NOT RAFTKV_INSTALL)
    return()
  endif()
  install(EXPORT raftkvTargets NAMESPACE raftkv:: DESTINATION ${RAFTKV_CMAKE_DIR})
  # The testing set exists only when its targets were built (GTest and RapidCheck found).
  get_property(has_testing GLOBAL PROPERTY RAFTKV_HAS_TESTING_TARGETS)
  if(has_testing)
    install(EXPORT raftkvTestingTargets NAMESPACE raftkv:: DESTINATION ${RAFTKV_CMAKE_DIR})
  endif()
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/raftkvConfig.cmake.in
    ${PROJECT_BINARY_DIR}/raftkvConfig.cmake INSTALL_DESTINATION ${RAFTKV_CMAKE_DIR})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/raftkvConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/raftkvConfig.cmake
                ${PROJECT_BINARY_DIR}/raftkvConfigVersion.cmake
          DESTINATION ${RAFTKV_CMAKE_DIR})
endfunction()
