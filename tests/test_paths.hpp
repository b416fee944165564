// Where the tests find the source tree and the built `stride`. Defined in test_paths.cpp, the only file compiled
// with the paths, so every other test file compiles the same in any checkout (a shared compiler cache hits).
#pragma once

namespace stride::test_paths {
extern const char* const source_dir;
extern const char* const exe;
}  // namespace stride::test_paths

#define STRIDE_SOURCE_DIR (::stride::test_paths::source_dir)
#define STRIDE_EXE (::stride::test_paths::exe)
