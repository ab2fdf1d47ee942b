# Install rules and the package config, so that a downstream project can find_package(sdekit CONFIG).
include(CMakePackageConfigHelpers)
set(SDEKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/sdekit")
install(EXPORT sdekitTargets NAMESPACE sdekit:: DESTINATION "${SDEKIT_INSTALL_CMAKEDIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/sdekitConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/sdekitConfig.cmake" INSTALL_DESTINATION "${SDEKIT_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/sdekitConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/sdekitConfig.cmake" "${PROJECT_BINARY_DIR}/sdekitConfigVersion.cmake"
  DESTINATION "${SDEKIT_INSTALL_CMAKEDIR}")
