# Finds libslirp (Debian: libslirp-dev, BSD-3-Clause), which ships a pkg-config file but no CMake
# package configuration. Defines Slirp_FOUND, SLIRP_INCLUDE_DIR, SLIRP_LIBRARY and Slirp::Slirp.
find_path(SLIRP_INCLUDE_DIR NAMES slirp/libslirp.h)
find_library(SLIRP_LIBRARY NAMES slirp)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Slirp REQUIRED_VARS SLIRP_LIBRARY SLIRP_INCLUDE_DIR)
mark_as_advanced(SLIRP_INCLUDE_DIR SLIRP_LIBRARY)

if(Slirp_FOUND AND NOT TARGET Slirp::Slirp)
  add_library(Slirp::Slirp UNKNOWN IMPORTED GLOBAL)
  set_target_properties(Slirp::Slirp PROPERTIES
    IMPORTED_LOCATION "${SLIRP_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SLIRP_INCLUDE_DIR}")
endif()
