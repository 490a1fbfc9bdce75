# Warnings as an interface target: every first-party target links qap_warnings,
# so the policy lives in one place and third-party headers are not affected.
add_library(qap_warnings INTERFACE)
target_compile_options(qap_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual
    -Wnull-dereference -Wimplicit-fallthrough>
  # GCC 12 reports -Wrestrict inside libstdc++ for ordinary std::string
  # concatenation at -O2 (GCC bug 105329): a false positive, not our code.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  $<$<AND:$<BOOL:${QAP_WARNINGS_AS_ERRORS}>,$<CXX_COMPILER_ID:GNU,Clang>>:-Werror>)
