// Small helpers shared by the tests: where the repository's reference recordings are.
#pragma once

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace stride::test {

inline std::filesystem::path source_dir() { return std::filesystem::path(STRIDE_SOURCE_DIR); }
// Real recordings with references, shipped in the repository (recordings/reference/README.md).
inline std::filesystem::path reference_data() { return source_dir() / "recordings" / "reference"; }

}  // namespace stride::test
