// libFuzzer target: Stata, SPSS and SAS files through ReadStat (issue 13).
//
// The first byte picks the format (its value modulo 3: Stata .dta, SPSS
// .sav/.zsav, SAS .sas7bdat); the rest is the file. The seeds in
// tests/fuzz/corpus/statistical/ are the files of tests/data/statistical/
// with that byte put in front. ReadStat's own parsers run on the bytes
// through the reader's in-memory I/O handlers, so a crash here may be in
// ReadStat itself: report it (the reader may need to guard), do not hide it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "qap/core/errors.hpp"
#include "qap/io/statistical_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const qap::StatisticalKind kinds[] = {qap::StatisticalKind::kStata, qap::StatisticalKind::kSpss,
                                        qap::StatisticalKind::kSas};
  const qap::StatisticalKind kind = kinds[data[0] % 3];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    qap::ParseStatisticalBytes(bytes, "fuzz", kind);
  } catch (const qap::Error&) {
  }
  return 0;
}
