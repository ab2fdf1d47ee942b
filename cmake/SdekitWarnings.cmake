# Warnings for sdekit's own targets (not for the libraries it includes, which are system headers).
add_library(sdekit_warnings INTERFACE)
target_compile_options(sdekit_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic>
  $<$<AND:$<BOOL:${SDEKIT_WERROR}>,$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>>:-Werror>)
