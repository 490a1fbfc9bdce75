#include "data_folder.hpp"

#include <cstdlib>
#include <string_view>
#include <system_error>

#include "qap/core/errors.hpp"

#ifndef QAP_DATA_FROM_BIN
#define QAP_DATA_FROM_BIN "../share/qap"  // set by cli/CMakeLists.txt from GNUInstallDirs
#endif

namespace qap::cli {

namespace {

namespace fs = std::filesystem;

DataFolder g_data;

bool HoldsData(const fs::path& folder) {
  std::error_code ec;
  return fs::is_directory(folder / "reference", ec) && fs::is_directory(folder / "paper", ec);
}

// The executable's own path: /proc/self/exe on Linux, else argv[0] as typed
// (a bare name was found on PATH). Symbolic links are followed so that a
// link in /usr/local/bin to <prefix>/bin/qap still finds <prefix>/share/qap.
fs::path ExecutablePath(const char* argv0) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && !self.empty()) return self;
  const std::string name = argv0 == nullptr ? "" : argv0;
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) {
    self = fs::weakly_canonical(fs::absolute(name, ec), ec);
    return ec ? fs::path() : self;
  }
  const char* path = std::getenv("PATH");
  std::string_view rest = path == nullptr ? "" : path;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const fs::path folder(std::string(rest.substr(0, colon)));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    const fs::path candidate = (folder.empty() ? fs::path(".") : folder) / name;
    if (fs::is_regular_file(candidate, ec))
      return fs::weakly_canonical(fs::absolute(candidate, ec), ec);
  }
  return {};
}

DataFolder Resolve(const char* argv0) {
  DataFolder data;
  if (const char* variable = std::getenv("QAP_DATA_DIR");
      variable != nullptr && *variable != '\0') {
    const fs::path root(variable);
    if (HoldsData(root)) {
      std::error_code ec;
      data.root = fs::absolute(root, ec);
      data.found_by = "QAP_DATA_DIR";
    } else {
      data.variable_is_wrong = true;
      data.problem =
          std::string("QAP_DATA_DIR=") + variable +
          " is not a folder holding reference/ and paper/ (point it at <prefix>/share/qap or the "
          "source tree's fixtures/, or unset it)";
    }
    return data;
  }
  const fs::path executable = ExecutablePath(argv0);
  if (executable.empty()) {
    data.problem = "qap cannot tell where its executable is, so it cannot find its data folder";
    return data;
  }
  const fs::path bin = executable.parent_path();
  // Installed first: an install prefix inside a source tree must not pick up
  // the tree's fixtures.
  const fs::path installed = (bin / QAP_DATA_FROM_BIN).lexically_normal();
  if (HoldsData(installed)) {
    data.root = installed;
    data.found_by = "installed beside the executable";
    return data;
  }
  // <source>/build/<preset>/cli/qap is four folders below <source>; a build
  // folder elsewhere in the tree is at most a level or two deeper.
  fs::path folder = bin;
  for (int level = 0; level < 6 && !folder.empty(); ++level) {
    std::error_code ec;
    if (fs::is_regular_file(folder / "fixtures" / "reference" / "countries.csv", ec)) {
      data.root = folder / "fixtures";
      data.found_by = "source tree";
      return data;
    }
    if (folder == folder.parent_path()) break;
    folder = folder.parent_path();
  }
  data.problem = "qap found no data folder: neither " + installed.string() +
                 " nor a source tree's fixtures/ above " + bin.string() + " exists";
  return data;
}

const fs::path& RootOrThrow(const std::string& what, const std::string& alternative) {
  if (g_data.root.empty()) {
    throw OptionsError(what + ": " + g_data.problem +
                       "; set QAP_DATA_DIR to a folder holding reference/ and paper/" +
                       (alternative.empty() ? std::string() : ", or give " + alternative));
  }
  return g_data.root;
}

}  // namespace

void InitDataFolder(const char* argv0) { g_data = Resolve(argv0); }

const DataFolder& Data() { return g_data; }

std::string ReferenceFolder(const std::string& alternative) {
  return (RootOrThrow("the country tables (<data>/reference)", alternative) / "reference").string();
}

std::string PrintedTablesFile(const std::string& alternative) {
  return (RootOrThrow("the printed tables (<data>/paper)", alternative) / "paper" /
          "tables34_as_printed.csv")
      .string();
}

}  // namespace qap::cli
