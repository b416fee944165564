#include "tools/cli/checks.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include "firmware_iface/import/formats.hpp"

namespace stride::cli {
namespace {

bool number(const std::string& s, double& v) {
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(v);
}

CLI::Validator check(std::string name, std::string expected, bool (*ok)(double, double, double), double lo = 0,
                     double hi = 0) {
  return CLI::Validator(
      [=](std::string& s) {
        double v = 0;
        return number(s, v) && ok(v, lo, hi) ? std::string() : "expected " + expected + ", got '" + s + "'";
      },
      std::move(name));
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "" when `path` can be read (and is not a folder, unless folders are allowed); else why not, from the system.
std::string unreadable(const std::string& path, bool folder_allowed) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "'" + path + "': " + std::strerror(errno);
  if (S_ISDIR(st.st_mode) && !folder_allowed) return "'" + path + "' is a folder; expected a file";
  if (::access(path.c_str(), S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) != 0)
    return "'" + path + "': " + std::strerror(errno) + " (cannot read it)";
  return {};
}

}  // namespace

CLI::Validator existing_file() {
  return CLI::Validator([](std::string& s) { return unreadable(s, false); }, "FILE");
}

CLI::Validator existing_path() {
  return CLI::Validator([](std::string& s) { return unreadable(s, true); }, "PATH");
}

CLI::Validator positive() {
  return check("> 0", "a number > 0", [](double v, double, double) { return v > 0; });
}

CLI::Validator non_negative() {
  return check(">= 0", "a number >= 0", [](double v, double, double) { return v >= 0; });
}

CLI::Validator between(double lo, double hi) {
  char range[64];
  std::snprintf(range, sizeof range, "%g to %g", lo, hi);
  return check(range, std::string("a number from ") + range,
               [](double v, double l, double h) { return v >= l && v <= h; }, lo, hi);
}

CLI::Validator acc_unit() { return CLI::IsMember({"auto", "g", "m/s^2", "mg"}); }
CLI::Validator gyr_unit() { return CLI::IsMember({"auto", "deg/s", "dps", "rad/s", "mdps"}); }
CLI::Validator time_unit() { return CLI::IsMember({"auto", "s", "ms", "us", "ns"}); }

std::string unknown_option(const CLI::App& sub, const std::vector<std::string>& args) {
  std::set<std::string> known{"--help"};
  for (const CLI::Option* opt : sub.get_options())
    for (const auto& n : opt->get_lnames()) known.insert("--" + n);
  for (const auto& a : args) {
    if (a == "--") break;  // what follows is positional
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) continue;
    const std::string name = a.substr(0, a.find('='));
    if (known.count(name)) continue;
    std::string best;
    std::size_t best_d = 3;  // at most two edits away
    for (const auto& k : known)
      if (const std::size_t d = edit_distance(name, k); d < best_d) best = k, best_d = d;
    return "unknown option " + name + (best.empty() ? "" : " (did you mean " + best + "?)");
  }
  return "";
}

CLI::Validator format_name() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (v == "auto" || io::formats::find(v) != nullptr) return {};
        return "unknown format '" + v + "'; expected one of " + io::formats::names() + " (see `stride formats`)";
      },
      "FORMAT");
}

}  // namespace stride::cli
