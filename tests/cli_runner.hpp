// Runs the real `stride` executable (STRIDE_EXE) as a child process and captures what it did: stdout, stderr,
// the exit code, or the signal that ended it. Plus a per-test scratch folder and small file helpers.
// No mocks: the end-to-end tests go through argv, the file system and the exit status, as a user's shell does.
#pragma once

#include "test_paths.hpp"
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace stride::test {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;        // valid when !signalled
  bool signalled = false;    // the process died of a signal (a crash, an abort)
  int signal = 0;
  std::string out;           // everything written to stdout
  std::string err;           // everything written to stderr

  // For assertion messages: how it ended and what it said on stderr.
  std::string describe() const {
    std::ostringstream s;
    if (signalled) s << "killed by signal " << signal << " (" << strsignal(signal) << ")";
    else s << "exit code " << exit_code;
    s << "\n--- stderr ---\n" << err << "--- stdout (first 2000 chars) ---\n" << out.substr(0, 2000);
    return s.str();
  }
};

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("test: cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("test: cannot write " + p.string());
}

// Splits on '\n'. A final line without '\n' is kept; the empty string after a final '\n' is not.
inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(at));
      break;
    }
    lines.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

inline std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + '\n';
  return out;
}

// temp_directory_path()/stride-tests-<pid>/<suite>.<test>: made fresh, removed (with the pid folder when it is
// empty) when the test ends. Set STRIDE_KEEP_TEST_FILES=1 to keep them for a look.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "no-test";
    for (char& c : name)
      if (c == '/') c = '_';
    root_ = fs::temp_directory_path() / ("stride-tests-" + std::to_string(::getpid()));
    path_ = root_ / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    if (const char* keep = std::getenv("STRIDE_KEEP_TEST_FILES"); keep && *keep == '1') return;
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (fs::is_empty(root_, ec)) fs::remove(root_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path root_, path_;
};

// Starts `args` (args[0] is the program's path) with stdin from /dev/null and stdout, stderr into files (no pipes,
// so no deadlock however much the child writes); in a process group of its own when asked, so that a test can kill
// everything it started. Returns posix_spawn's result (0 = started) and sets pid.
inline int spawn_to_files(std::vector<std::string> args, const fs::path& out, const fs::path& err, bool own_group,
                          pid_t& pid) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (own_group) {
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc;
}

// Runs STRIDE_EXE with `args`. stdout and stderr go to files in `scratch` (no pipes, so no deadlock however much
// the child writes), stdin is /dev/null. Throws only when the process cannot be started at all.
// `launcher` (e.g. setpriv and its options) comes before the program when given.
inline RunResult run_stride(const std::vector<std::string>& args, const ScratchDir& scratch,
                            const std::vector<std::string>& launcher = {}) {
  static int counter = 0;
  const std::string tag = std::to_string(++counter);
  const fs::path out_path = scratch / ("run" + tag + ".stdout");
  const fs::path err_path = scratch / ("run" + tag + ".stderr");

  std::vector<std::string> storage = launcher;
  storage.emplace_back(STRIDE_EXE);
  storage.insert(storage.end(), args.begin(), args.end());
  pid_t pid = 0;
  const std::string program = storage.front();
  const int rc = spawn_to_files(std::move(storage), out_path, err_path, false, pid);
  if (rc != 0) throw std::runtime_error("test: cannot start " + program + ": " + std::strerror(rc));

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("test: waitpid failed: ") + std::strerror(errno));
  }
  RunResult r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    r.signalled = true;
    r.signal = WTERMSIG(status);
  }
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  std::error_code ec;
  fs::remove(out_path, ec);
  fs::remove(err_path, ec);
  return r;
}

}  // namespace stride::test
