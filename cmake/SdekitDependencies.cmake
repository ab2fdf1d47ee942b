# Finds the libraries sdekit builds on. Everything comes from Debian 12 packages
# (scripts/install-deps.sh); optional parts (CUDA, Torch, Python) are added only when found.
find_package(Boost 1.74 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
if(NOT TARGET Random123::Random123)
  add_library(Random123::Random123 INTERFACE IMPORTED)
  set_target_properties(Random123::Random123 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${RANDOM123_INCLUDE_DIR}")
endif()

# Debian's interpreter, which has numpy, torch and matplotlib; another python3 may come first on PATH.
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter with numpy, torch and matplotlib")
endif()
find_package(Python3 COMPONENTS Interpreter)

# Optional: LibTorch (Debian's libtorch-dev) and nlohmann-json for TorchScript score models. Found
# here, at the top level, because Torch's imported targets are visible only below where it is found.
find_package(Torch QUIET)
find_package(nlohmann_json 3 QUIET)
