// A `stride` child process for the live end-to-end tests (record, replay, live): stdout and stderr in files,
// killed if still running when it goes out of scope; and a per-test folder.
#pragma once

#include "test_paths.hpp"
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace stride::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Removes the folders a test made once it has ended without failing; a failed test's folder stays, with its
// children's stdout and stderr, for whoever reads the failure (its path is in the failure message's file names).
class RemoveFoldersOfPassedTests : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (!info.result()->Failed())
      for (const auto& d : folders) {
        std::error_code ec;
        fs::remove_all(d, ec);
      }
    folders.clear();
  }
  std::vector<fs::path> folders;
};

inline fs::path temp_dir() {
  // gtest owns and deletes the listener at exit.
  static auto* const cleaner = [] {
    auto* l = new RemoveFoldersOfPassedTests;
    ::testing::UnitTest::GetInstance()->listeners().Append(l);
    return l;
  }();
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // One folder, not nested: a parameterised test's names hold '/' ("TextAndBinary/LivePty", "X/text").
  std::string name = "stride_live_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name();
  std::replace(name.begin(), name.end(), '/', '_');
  fs::path d = fs::temp_directory_path() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  cleaner->folders.push_back(d);
  return d;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A `stride` child process with stdout and stderr in files; killed (SIGKILL) if still running at destruction.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& dir, const std::string& tag)
      : out_(dir / (tag + ".out")), err_(dir / (tag + ".err")) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(o, 1);
      ::dup2(e, 2);
      // Nothing else of the test's (listening sockets, pty descriptors) may live on in the child.
      for (int fd = 3; fd < 1024; ++fd) ::close(fd);
      std::vector<char*> argv;
      std::string exe = STRIDE_EXE;
      argv.push_back(exe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      wait(5s);
    }
  }
  bool running() {
    if (done_) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      done_ = true;
      status_ = st;
      return false;
    }
    return true;
  }
  // Exit code, or -1 when it did not end in time (it is then killed), or 128+signal.
  int wait(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (running()) {
      if (Clock::now() > until) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
        done_ = true;
        return -1;
      }
      std::this_thread::sleep_for(5ms);
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }
  void signal(int sig) { ::kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }
  // Ends a `live` or `record` whose board went away: one that said "...; stopping" (a pseudo-terminal named by its
  // number is not reopened) ends by itself, and a Ctrl-C during its final summary would make it exit 130; one that
  // is reconnecting is stopped with Ctrl-C.
  void stop_after_board_left() {
    if (err().find("; stopping") == std::string::npos) signal(SIGINT);
  }
  // Waits until stderr contains text; false after the timeout.
  bool wait_for_err(const std::string& text, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      if (err().find(text) != std::string::npos) return true;
      if (!running()) return err().find(text) != std::string::npos;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  bool done_ = false;
  int status_ = 0;
};

// Starts `stride replay` and returns where to connect (its first stdout line); empty if it never said.
inline std::string start_replay(Child& replay) {
  for (int i = 0; i < 1000; ++i) {
    const auto o = replay.out();
    if (o.find('\n') != std::string::npos) return o.substr(0, o.find('\n'));
    if (!replay.running()) break;
    std::this_thread::sleep_for(10ms);
  }
  return {};
}

}  // namespace stride::test
