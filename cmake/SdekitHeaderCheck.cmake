# Every public header compiles on its own: one translation unit per header that includes it alone.
set(_sdekit_header_roots
  "${PROJECT_SOURCE_DIR}/solvers/include"
  "${PROJECT_SOURCE_DIR}/diffusion/include")
set(_sdekit_header_sources "")
foreach(root IN LISTS _sdekit_header_roots)
  file(GLOB_RECURSE _headers RELATIVE "${root}" CONFIGURE_DEPENDS "${root}/sdekit/*.hpp")
  foreach(header IN LISTS _headers)
    if(header MATCHES "/detail/")
      continue()
    endif()
    string(MAKE_C_IDENTIFIER "${header}" _id)
    set(_tu "${PROJECT_BINARY_DIR}/header_check/${_id}.cpp")
    file(CONFIGURE OUTPUT "${_tu}" CONTENT "#include <${header}>\n#include <${header}>\n")
    list(APPEND _sdekit_header_sources "${_tu}")
  endforeach()
endforeach()
add_library(sdekit_header_check OBJECT ${_sdekit_header_sources})
target_link_libraries(sdekit_header_check PRIVATE sdekit::sdekit sdekit_warnings)
