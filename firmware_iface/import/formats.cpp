// The table of formats, detection over it, and the helpers the presets share.
#include "formats.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "presets.hpp"

#include "firmware_iface/import/movesense_json.hpp"
#include "firmware_iface/import/witmotion_binary.hpp"
#include "firmware_iface/protocol/strideb.hpp"

namespace stride::io::formats {

namespace {

// The three layouts the reader knows itself (detect = nullptr): listed so that `stride formats` and --format show them.
constexpr Format kNative{"native", "stride's own CSV: '# key: value' metadata, SI units",
                         "t_s,acc_x_mps2,acc_y_mps2,acc_z_mps2,gyr_x_rad_s,gyr_y_rad_s,gyr_z_rad_s",
                         "docs/recording-format.md", nullptr, nullptr};
constexpr Format kGeneric{"generic", "any delimited text with recognisable column names; units declared or detected",
                          "time (s),acc_x (g),acc_y (g),acc_z (g),gyr_x (deg/s),gyr_y (deg/s),gyr_z (deg/s)",
                          "firmware_iface/protocol/columns.cpp", nullptr, nullptr};
constexpr Format kGaitmap{"gaitmap", "mad-lab-fau/gaitmap example data: two header rows, left_sensor/right_sensor",
                          ",left_sensor,left_sensor,...  then  axis,acc_x,acc_y,...",
                          "recordings/reference/gaitmap_example/SOURCE.md", nullptr, nullptr};

// Binary and JSON readers of their own (no column plan): io::import_any picks them by their detectors.
constexpr Format kWitMotionBinary{kWitmotionBinaryName, kWitmotionBinaryDescription, kWitmotionBinaryExample,
                                  kWitmotionBinarySpec, nullptr, nullptr};
constexpr Format kStrideb{kStridebName, kStridebDescription, kStridebExample, kStridebSpec, nullptr, nullptr};
constexpr Format kMovesenseJson{kMovesenseJsonName, kMovesenseJsonDescription, kMovesenseJsonExample,
                                kMovesenseJsonSpec, nullptr, nullptr};

// One line per format; the order is the order of `stride formats` (and the tie-break of detection).
const std::array<const Format*, 14> kAll = {
    &kNative, &kStrideb, &kGeneric, &kGaitmap,
    &kXimu3,
    &kPhyphox,
    &kSensorLogger,
    &kTxyz,
    &kMetaWear,
    &kShimmer,
    &kWitMotionText,
    &kArduino,
    &kWitMotionBinary,
    &kMovesenseJson,
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::span<const Format* const> all() { return kAll; }

const Format* find(std::string_view name) {
  for (const Format* f : kAll)
    if (f->name == name) return f;
  return nullptr;
}

std::string names() {
  std::string out = "auto";
  for (const Format* f : kAll) out += ", " + std::string(f->name);
  return out;
}

Best detect(const HeaderView& header) {
  Best best;
  for (const Format* f : kAll) {
    if (f->detect == nullptr) continue;
    Detection d = f->detect(header);
    if (d.confidence > best.detection.confidence) best = {f, std::move(d)};
  }
  return best;
}

std::string base_name(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(haystack[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

NamedSensor sensor_named(std::string_view file_name) {
  for (std::string_view not_inertial : {"gravity", "linear", "user", "magnet", "orientation"})
    if (contains_ci(file_name, not_inertial)) return NamedSensor::other;
  const bool acc = contains_ci(file_name, "acc"), gyr = contains_ci(file_name, "gyr");
  return acc == gyr ? NamedSensor::none : acc ? NamedSensor::accelerometer : NamedSensor::gyroscope;
}

std::vector<detail::Recognised> recognise_all(const std::vector<std::string_view>& cells) {
  std::vector<detail::Recognised> out;
  out.reserve(cells.size());
  for (const auto c : cells) out.push_back(detail::recognise_column(c));
  return out;
}

namespace {
// Reads an unsigned integer of 1..max_digits digits at p; advances p.
bool digits(std::string_view s, std::size_t& p, int max_digits, int& v) {
  const std::size_t b = p;
  v = 0;
  while (p < s.size() && p - b < static_cast<std::size_t>(max_digits) && s[p] >= '0' && s[p] <= '9')
    v = v * 10 + (s[p++] - '0');
  return p > b;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil).
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
}  // namespace

bool parse_clock(std::string_view s, double& seconds) {
  std::size_t p = 0;
  double day_s = 0.0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  // Optional date: yyyy-mm-dd or yyyy/mm/dd, then ' ' or 'T'.
  if (s.size() > 10 && (s[4] == '-' || s[4] == '/')) {
    const char sep = s[4];
    if (!digits(s, p, 4, y) || p != 4 || s[p++] != sep || !digits(s, p, 2, mo) || p >= s.size() || s[p++] != sep ||
        !digits(s, p, 2, d) || p >= s.size() || (s[p] != ' ' && s[p] != 'T'))
      return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
    ++p;
    day_s = static_cast<double>(days_from_civil(y, mo, d)) * 86400.0;
  }
  if (!digits(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, mi) || p >= s.size() ||
      s[p++] != ':')
    return false;
  double sec = 0.0;
  const auto r = std::from_chars(s.data() + p, s.data() + s.size(), sec, std::chars_format::fixed);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || sec < 0 || sec >= 61 || h > 23 || mi > 59) return false;
  seconds = day_s + h * 3600.0 + mi * 60.0 + sec;
  return true;
}

}  // namespace stride::io::formats
