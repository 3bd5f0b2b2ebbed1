# Finds libfdt (Debian: libfdt-dev), which ships no CMake package configuration.
# Defines FDT_FOUND, FDT_INCLUDE_DIR, FDT_LIBRARY and the imported target FDT::FDT.
find_path(FDT_INCLUDE_DIR NAMES libfdt.h)
find_library(FDT_LIBRARY NAMES fdt)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(FDT REQUIRED_VARS FDT_LIBRARY FDT_INCLUDE_DIR)
mark_as_advanced(FDT_INCLUDE_DIR FDT_LIBRARY)

if(FDT_FOUND AND NOT TARGET FDT::FDT)
  # GLOBAL: the target is linked from other directories (tests/, apps/) than the one that finds it.
  add_library(FDT::FDT UNKNOWN IMPORTED GLOBAL)
  set_target_properties(FDT::FDT PROPERTIES
    IMPORTED_LOCATION "${FDT_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${FDT_INCLUDE_DIR}")
endif()
