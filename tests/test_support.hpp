// Small helpers shared by the tests: where the real datasets are, and a clean skip when they are absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace stride::test {

inline std::filesystem::path shared_data() { return std::filesystem::path(STRIDE_SHARED_DATA); }
inline std::filesystem::path source_dir() { return std::filesystem::path(STRIDE_SOURCE_DIR); }

}  // namespace stride::test

// Skips the current test, with a message, when ../shared/data is not there (only there: never to hide a failure).
#define STRIDE_REQUIRE_SHARED_DATA()                                                                  \
  do {                                                                                                \
    if (!std::filesystem::exists(::stride::test::shared_data()))                                      \
      GTEST_SKIP() << "../shared/data not found at " << ::stride::test::shared_data()                 \
                   << ": the real-data tests need it beside the checkout";                            \
  } while (0)
