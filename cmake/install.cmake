# Installing and packaging (`cmake --install`, `cpack -G DEB`), as desktop tools on Linux are:
#
#   bin/store-inspector
#   share/store-inspector/assets/{configs,scenarios,traces}   what the tool loads at run time
#   share/applications/store-inspector.desktop
#   share/icons/hicolor/scalable/apps/store-inspector.svg     assets/icons/store-inspector.svg
#   share/icons/hicolor/NxN/apps/store-inspector.png          rendered from it at build time
#   share/man/man1/store-inspector.1.gz                       cmake/man_page.py over --help
#
# Included by the top-level CMakeLists.txt (not in SI_FUZZ or SI_SANITIZE builds). Build-time tools: python3,
# rsvg-convert (librsvg2-bin); cpack's Depends come from dpkg-shlibdeps (dpkg-dev).
# scripts/deps.sh installs them; scripts/package_test.sh tests the result.

include(GNUInstallDirs)

set(SI_INSTALL_PKGDATADIR ${CMAKE_INSTALL_DATADIR}/store-inspector)

# The executable finds its installed assets relative to itself (app/cli.cpp
# bundledExampleConfigFrom), so the tree can be installed under any prefix and moved.
file(RELATIVE_PATH SI_INSTALLED_ASSETS_FROM_BINDIR ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/store-inspector/assets)
target_compile_definitions(si_cli PRIVATE
  SI_INSTALLED_ASSETS_FROM_BINDIR="${SI_INSTALLED_ASSETS_FROM_BINDIR}")

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(SI_RSVG_CONVERT rsvg-convert)
if(NOT SI_RSVG_CONVERT)
  message(FATAL_ERROR "rsvg-convert not found: the icons' PNG sizes are rendered with it "
                      "(librsvg2-bin; run scripts/deps.sh)")
endif()

# ---- the man page: from `store-inspector --help` and each command's --help ----
set(SI_MAN_PAGE ${CMAKE_BINARY_DIR}/man/store-inspector.1)
add_custom_command(
  OUTPUT ${SI_MAN_PAGE} ${SI_MAN_PAGE}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
  COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/cmake/man_page.py
          $<TARGET_FILE:store-inspector> ${CMAKE_SOURCE_DIR}/cmake/man_extra.roff ${SI_MAN_PAGE}
  DEPENDS store-inspector ${CMAKE_SOURCE_DIR}/cmake/man_page.py
          ${CMAKE_SOURCE_DIR}/cmake/man_extra.roff
  COMMENT "Generating the man page store-inspector.1 from --help"
  VERBATIM)

# ---- icons: the SVG is the source; the PNG sizes are rendered from it ----
set(SI_ICON_SVG ${CMAKE_SOURCE_DIR}/assets/icons/store-inspector.svg)
set(SI_ICON_SIZES 16 32 48 64 128 256)
set(SI_ICON_PNGS)
foreach(size ${SI_ICON_SIZES})
  set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/store-inspector.png)
  add_custom_command(
    OUTPUT ${png}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/${size}x${size}
    COMMAND ${SI_RSVG_CONVERT} --width=${size} --height=${size} --keep-aspect-ratio
            --output=${png} ${SI_ICON_SVG}
    DEPENDS ${SI_ICON_SVG}
    COMMENT "Rendering the ${size}x${size} icon"
    VERBATIM)
  list(APPEND SI_ICON_PNGS ${png})
  install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()

add_custom_target(si_install_data ALL DEPENDS ${SI_MAN_PAGE}.gz ${SI_ICON_PNGS})

# ---- install rules ----
install(TARGETS store-inspector RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Only the shipped files: the tests write file-backed stores (assets/configs/stores/) into the
# source tree.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/configs ${CMAKE_SOURCE_DIR}/assets/scenarios
                  ${CMAKE_SOURCE_DIR}/assets/traces
        DESTINATION ${SI_INSTALL_PKGDATADIR}/assets
        FILES_MATCHING PATTERN "*.json" PATTERN "*.ndjson"
        PATTERN "stores" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/assets/store-inspector.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${SI_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${SI_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# ---- CPack: a .deb for Debian 12 (cd build && cpack -G DEB) ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME store-inspector)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Store Inspector")
set(CPACK_PACKAGE_CONTACT "Store Inspector developers <store-inspector@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "inspect store lifecycles, observers and gcTime on a virtual clock")
set(CPACK_PACKAGE_DESCRIPTION
    "A desktop developer tool (Dear ImGui, GLFW) for the lifetime of cached stores in
LiveStore-style multi-store registries: states, observer counts, gcTime countdowns and
option layering, live. Scenario files drive the registry on a virtual clock, in the window
or headless (store-inspector run / check / compare).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)   # RelWithDebInfo: ship the binary without its debug info
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # store-inspector_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # Depends from the binary's libraries (dpkg-shlibdeps)
# Under the build tree, ignored by git like the rest of it.
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)
