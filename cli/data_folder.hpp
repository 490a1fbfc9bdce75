// Where the data qap ships with (the country tables in reference/, the printed
// Tables 3 and 4 in paper/) live at run time. Nothing is compiled in: a binary
// can be installed, moved or run from any build folder.
//
// Lookup order (docs/cli.md, "Installing and the data folder"):
//   1. $QAP_DATA_DIR, which must hold reference/ and paper/; a value that does
//      not is an error, never a silent fallback;
//   2. beside the executable (/proc/self/exe, else argv[0]): the installed
//      layout <prefix>/bin/qap -> <prefix>/share/qap;
//   3. a source tree above the executable (<source>/build/<preset>/cli/qap):
//      the first of a few parent folders holding fixtures/reference/countries.csv.
#pragma once

#include <filesystem>
#include <string>

namespace qap::cli {

struct DataFolder {
  std::filesystem::path root;  // holds reference/ and paper/; empty when none was found
  std::string found_by;        // "QAP_DATA_DIR", "installed beside the executable", "source tree"
  std::string problem;         // why there is none (set when root is empty)
  bool variable_is_wrong = false;  // QAP_DATA_DIR is set but does not hold the data
};

// Resolves once, from the environment and the executable's path; the engine
// never sees either, only the folders derived here.
void InitDataFolder(const char* argv0);
const DataFolder& Data();

// <data>/reference and <data>/paper/tables34_as_printed.csv. Throw
// OptionsError naming QAP_DATA_DIR and `alternative` (the option that gives
// the path directly) when there is no data folder.
std::string ReferenceFolder(const std::string& alternative);
std::string PrintedTablesFile(const std::string& alternative);

// How --help names the data folder instead of a path fixed at build time.
inline constexpr const char* kDataFolderHelp =
    "<data> is $QAP_DATA_DIR, else <prefix>/share/qap beside an installed qap, else the fixtures/ "
    "folder of the "
    "source tree qap was built in";

}  // namespace qap::cli
