# ekaci_add_plugin(<target> SOURCES <files...> [LINK <libraries...>] [OUTPUT_DIRECTORY <dir>])
#
# Builds an eka-ci plugin: a MODULE library linked against EkaCi::sdk with hidden
# visibility (only the ekaci_plugin_entry symbol is exported) and -z defs (an undefined
# symbol fails the link, not the server's start-up).
function(ekaci_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "ekaci_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE EkaCi::sdk ${ARG_LINK})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Under the sanitizers the runtime lives in the executable, so plugins legitimately have
  # undefined __asan_/__ubsan_ symbols.
  if(NOT EKACI_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()
