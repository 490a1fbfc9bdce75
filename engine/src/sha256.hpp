// SHA-256 (FIPS 180-4), for provenance hashes of manifests and data files.
#pragma once

#include <string>
#include <string_view>

namespace qap::detail {

// Lower-case hexadecimal digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace qap::detail
