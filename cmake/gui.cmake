# The desktop window (SPEC 1): Dear ImGui 1.86 on GLFW 3.3 + OpenGL 3.3 core loaded by glad 2.
# Included by the top-level CMakeLists.txt when SI_BUILD_GUI is ON.
#
#   si_glad          the GL loader, generated at build time (glad --reproducible: no network)
#   si_imgui_backends imgui_impl_glfw + imgui_impl_opengl3 compiled against glad
#   si_gui           panels/ + the Shell (app/shell.cpp: menus, dialogs, the panel list) over
#                    si_workbench (workbench/CMakeLists.txt) and si_panel_models (panels/model/,
#                    in the top CMakeLists); what the panel tests link
#   store-inspector  app/main.cpp + app/gui.cpp (the GLFW main loop), with SI_WITH_GUI

pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)   # -I/usr/include/imgui -I/usr/include/stb -limgui -lstb
pkg_check_modules(GLFW3 REQUIRED IMPORTED_TARGET glfw3)
find_program(SI_GLAD glad REQUIRED)

# ---- glad: generated into the build tree, never fetched (--reproducible) ----
set(SI_GLAD_DIR ${CMAKE_BINARY_DIR}/glad)
add_custom_command(
  OUTPUT ${SI_GLAD_DIR}/src/gl.c ${SI_GLAD_DIR}/include/glad/gl.h
  COMMAND ${SI_GLAD} --reproducible --quiet --api gl:core=3.3 --out-path ${SI_GLAD_DIR} c
  COMMENT "Generating the OpenGL 3.3 core loader with glad"
  VERBATIM)
add_library(si_glad STATIC ${SI_GLAD_DIR}/src/gl.c)
target_include_directories(si_glad PUBLIC ${SI_GLAD_DIR}/include)
target_link_libraries(si_glad PUBLIC ${CMAKE_DL_LIBS})

# ---- ImGui backends, compiled here so the OpenGL one uses glad (IMGUI_IMPL_OPENGL_LOADER_CUSTOM) ----
set(SI_IMGUI_BACKENDS_DIR /usr/share/doc/libimgui-dev/examples/backends)
add_library(si_imgui_backends STATIC
  ${SI_IMGUI_BACKENDS_DIR}/imgui_impl_glfw.cpp
  ${SI_IMGUI_BACKENDS_DIR}/imgui_impl_opengl3.cpp)
target_include_directories(si_imgui_backends PUBLIC /usr/include/imgui/backends)
target_compile_definitions(si_imgui_backends PUBLIC IMGUI_IMPL_OPENGL_LOADER_CUSTOM)
# glad's header must come before anything that includes GL headers.
target_compile_options(si_imgui_backends PRIVATE -include glad/gl.h)
target_link_libraries(si_imgui_backends PUBLIC si_glad PkgConfig::IMGUI PkgConfig::GLFW3)

# ---- si_gui: panels and the Shell, no window (headless-testable) ----
file(GLOB SI_PANEL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/panels/*.cpp)
add_library(si_gui STATIC ${SI_PANEL_SOURCES} ${CMAKE_SOURCE_DIR}/app/shell.cpp)
target_include_directories(si_gui PUBLIC ${CMAKE_SOURCE_DIR}/panels ${CMAKE_SOURCE_DIR}/app)
target_link_libraries(si_gui PUBLIC si_workbench si_cli si_panel_models PkgConfig::IMGUI)
target_compile_options(si_gui PRIVATE ${SI_WARNINGS})
target_precompile_headers(si_gui PRIVATE <nlohmann/json.hpp> <imgui.h> <string> <vector>)

# ---- the executable ----
add_executable(store-inspector app/main.cpp app/gui.cpp app/gui_input.cpp)
target_link_libraries(store-inspector PRIVATE si_gui si_imgui_backends si_cli)
target_compile_definitions(store-inspector PRIVATE SI_WITH_GUI)
target_compile_options(store-inspector PRIVATE ${SI_WARNINGS})
