// Runs `stride` as a user without privileges, so that file permissions apply: the tests run as root (CI, the
// developers' containers), and root reads and writes through any mode bits. As root the child runs through
// util-linux's setpriv as nobody (uid/gid 65534, no supplementary groups); as any other user it runs as that user.
// Tests that need it skip, saying why, when neither is possible.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace stride::test {

inline constexpr const char* kSetpriv = "/usr/bin/setpriv";

// "" when run_unprivileged can drop privileges here; else why not.
inline std::string why_not_unprivileged() {
  if (::getuid() != 0) return {};
  return ::access(kSetpriv, X_OK) == 0 ? std::string() : std::string(kSetpriv) + " is missing (package util-linux)";
}

inline RunResult run_unprivileged(const std::vector<std::string>& args, const ScratchDir& scratch) {
  if (::getuid() != 0) return run_stride(args, scratch);
  return run_stride(args, scratch, {kSetpriv, "--reuid=65534", "--regid=65534", "--clear-groups"});
}

}  // namespace stride::test

#define STRIDE_REQUIRE_UNPRIVILEGED()                                                    \
  do {                                                                                   \
    if (const std::string why = ::stride::test::why_not_unprivileged(); !why.empty())    \
      GTEST_SKIP() << "cannot run stride without privileges: " << why;                   \
  } while (0)
