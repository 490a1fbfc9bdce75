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
  # With -march=native on AVX-512 machines, GCC 12 reports -Wmaybe-uninitialized
  # inside avx512fintrin.h for Eigen's reductions (_mm512_undefined_pd by
  # design): a false positive in system headers.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>,$<BOOL:${QAP_NATIVE}>>:-Wno-maybe-uninitialized>
  $<$<AND:$<BOOL:${QAP_WARNINGS_AS_ERRORS}>,$<CXX_COMPILER_ID:GNU,Clang>>:-Werror>)
