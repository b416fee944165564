#include "test_paths.hpp"

namespace stride::test_paths {
const char* const source_dir = STRIDE_TEST_SOURCE_DIR;
const char* const exe = STRIDE_TEST_EXE;
}  // namespace stride::test_paths
