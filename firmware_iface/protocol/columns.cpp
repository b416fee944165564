#include "columns.hpp"

#include <array>
#include <cctype>

namespace stride::io::detail {

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Strips decorations some writers put in front of the quantity: node ids are gone already (after ':').
std::string_view strip_prefixes(std::string_view core) {
  static constexpr std::array<std::string_view, 7> kPrefixes = {"scaled", "est",    "compensated", "calibrated",
                                                                "cal",    "sensor", "imu"};
  for (bool again = true; again;) {
    again = false;
    for (auto p : kPrefixes) {
      if (core.size() > p.size() + 1 && starts_with(core, p)) {
        core.remove_prefix(p.size());
        again = true;
      }
    }
  }
  return core;
}

int axis_letter(std::string_view rest) {
  if (rest == "x") return 0;
  if (rest == "y") return 1;
  if (rest == "z") return 2;
  return -1;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  return s;
}

Unit parse_unit(std::string_view text) {
  std::string u;
  for (char c : ascii_lower(trim(text)))
    if (c != ' ' && c != '_') u += c;
  if (u == "g" || u == "gs" || u == "gravity") return Unit::g;
  if (u == "m/s^2" || u == "m/s\xC2\xB2" || u == "m/s2" || u == "ms^-2" || u == "ms-2" || u == "m*s^-2" ||
      u == "mps2" || u == "m/s/s" || u == "ms2" || u == "m/(s^2)")
    return Unit::mps2;
  // Milli-g and milli-degrees per second: what many MEMS drivers print (ST's LSM6DSx examples, Arduino_LSM9DS1).
  if (u == "mg" || u == "milli-g" || u == "millig" || u == "milligravity") return Unit::mg;
  if (u == "mdps" || u == "mdeg/s" || u == "millideg/s" || u == "millidegree/s" || u == "millidegrees/s")
    return Unit::mdps;
  if (u == "deg/s" || u == "dps" || u == "\xC2\xB0/s" || u == "degree/s" || u == "degrees/s" || u == "deg/sec" ||
      u == "degs" || u == "degps")
    return Unit::dps;
  if (u == "rad/s" || u == "rads" || u == "rad/sec" || u == "radps" || u == "rads-1") return Unit::rad_s;
  if (u == "s" || u == "sec" || u == "second" || u == "seconds") return Unit::s;
  if (u == "ms" || u == "msec" || u == "millisecond" || u == "milliseconds") return Unit::ms;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs" || u == "usec" || u == "microsecond" || u == "microseconds")
    return Unit::us;
  if (u == "ns" || u == "nsec" || u == "nanosecond" || u == "nanoseconds") return Unit::ns;
  return Unit::none;
}

Recognised recognise_column(std::string_view header_cell) {
  Recognised r;
  const std::string lower = ascii_lower(trim(header_cell));
  std::string_view name = lower;
  // Unit in brackets: "Accelerometer X (g)", "acc_x [m/s^2]".
  if (const auto open = name.find_first_of("(["); open != std::string_view::npos) {
    auto inside = name.substr(open + 1);
    if (const auto close = inside.find_first_of(")]"); close != std::string_view::npos) inside = inside.substr(0, close);
    r.unit = parse_unit(inside);
    name = name.substr(0, open);
  }
  // Device prefix: "inertial-6253.76535:scaledAccelX".
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos) name = name.substr(colon + 1);

  std::vector<std::string_view> tokens;
  for (std::size_t i = 0; i < name.size();) {
    while (i < name.size() && !is_alnum(name[i])) ++i;
    const std::size_t b = i;
    while (i < name.size() && is_alnum(name[i])) ++i;
    if (i > b) tokens.push_back(name.substr(b, i - b));
  }
  // Unit as a name suffix: acc_x_mps2, gyr_x_rad_s, t_s, time_ms.
  if (r.unit == Unit::none && tokens.size() > 1) {
    const auto n = tokens.size();
    if (n > 2 && (tokens[n - 2] == "rad" || tokens[n - 2] == "deg") && tokens[n - 1] == "s") {
      r.unit = tokens[n - 2] == "rad" ? Unit::rad_s : Unit::dps;
      tokens.resize(n - 2);
    } else if (n > 2 && tokens[n - 2] == "m" && (tokens[n - 1] == "s2")) {
      r.unit = Unit::mps2;
      tokens.resize(n - 2);
    } else if (const Unit u = parse_unit(tokens[n - 1]); u != Unit::none) {
      r.unit = u;
      tokens.pop_back();
    }
  }
  std::string joined;
  for (auto t : tokens) joined += t;
  const std::string_view core = strip_prefixes(joined);

  static constexpr std::array<std::string_view, 12> kTime = {"t",       "time",    "timestamp", "ts",
                                                             "times",   "sec",     "seconds",   "elapsed",
                                                             "elapsedtime", "timesec", "sampletime", "timestamps"};
  for (auto t : kTime)
    if (core == t) { r.role = Role::time; return r; }
  static constexpr std::array<std::string_view, 6> kIndex = {"index", "sample", "samplenumber", "packetcounter",
                                                             "counter", "idx"};
  for (auto t : kIndex)
    if (core == t) { r.role = Role::index; return r; }
  static constexpr std::array<std::string_view, 6> kAcc = {"accelerometer", "acceleration", "accel", "acc", "a",
                                                           "accl"};
  static constexpr std::array<std::string_view, 10> kGyr = {"gyroscope", "gyro",  "gyr", "angularrate",
                                                            "angularvelocity", "angvel", "g", "w", "omega", "rot"};
  for (auto p : kAcc)
    if (starts_with(core, p))
      if (const int a = axis_letter(core.substr(p.size())); a >= 0) {
        r.role = static_cast<Role>(static_cast<int>(Role::acc_x) + a);
        return r;
      }
  for (auto p : kGyr)
    if (starts_with(core, p))
      if (const int a = axis_letter(core.substr(p.size())); a >= 0) {
        r.role = static_cast<Role>(static_cast<int>(Role::gyr_x) + a);
        return r;
      }
  r.unit = Unit::none;
  return r;
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::time: return "time";
    case Role::acc_x: return "acc_x";
    case Role::acc_y: return "acc_y";
    case Role::acc_z: return "acc_z";
    case Role::gyr_x: return "gyr_x";
    case Role::gyr_y: return "gyr_y";
    case Role::gyr_z: return "gyr_z";
    case Role::index: return "index";
    default: return "unused";
  }
}

std::string_view unit_name(Unit u) {
  switch (u) {
    case Unit::s: return "s";
    case Unit::ms: return "ms";
    case Unit::us: return "us";
    case Unit::ns: return "ns";
    case Unit::g: return "g";
    case Unit::mps2: return "m/s^2";
    case Unit::mg: return "mg";
    case Unit::dps: return "deg/s";
    case Unit::rad_s: return "rad/s";
    case Unit::mdps: return "mdps";
    default: return "none";
  }
}

int unit_group(Unit u) {
  switch (u) {
    case Unit::s: case Unit::ms: case Unit::us: case Unit::ns: return 0;
    case Unit::g: case Unit::mps2: case Unit::mg: return 1;
    case Unit::dps: case Unit::rad_s: case Unit::mdps: return 2;
    default: return -1;
  }
}

bool is_acc(Role r) { return r == Role::acc_x || r == Role::acc_y || r == Role::acc_z; }
bool is_gyr(Role r) { return r == Role::gyr_x || r == Role::gyr_y || r == Role::gyr_z; }
int axis_of(Role r) {
  if (is_acc(r)) return static_cast<int>(r) - static_cast<int>(Role::acc_x);
  if (is_gyr(r)) return static_cast<int>(r) - static_cast<int>(Role::gyr_x);
  return -1;
}

char detect_delimiter(std::string_view line) {
  std::size_t comma = 0, semi = 0, tab = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    comma += c == ',';
    semi += c == ';';
    tab += c == '\t';
  }
  if (comma == 0 && semi == 0 && tab == 0) return ' ';
  if (semi >= comma && semi >= tab) return ';';
  if (tab >= comma) return '\t';
  return ',';
}

void split_cells(std::string_view line, char delimiter, std::vector<std::string_view>& cells) {
  cells.clear();
  if (delimiter == ' ') {
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      const std::size_t b = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > b) cells.push_back(trim(line.substr(b, i - b)));
    }
    return;
  }
  std::size_t b = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i == line.size() || (!quoted && line[i] == delimiter)) {
      cells.push_back(trim(line.substr(b, i - b)));
      b = i + 1;
    }
  }
}

}  // namespace stride::io::detail
