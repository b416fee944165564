#include "range_declaration.hpp"

#include <charconv>

#include "columns.hpp"

namespace stride::io::detail {

std::optional<RangeDeclaration> parse_range_declaration(std::string_view line) {
  if (line.size() > 200) return std::nullopt;  // a banner line is short; a data line is not one
  const std::string text = ascii_lower(line);
  const bool acc = text.find("accel") != std::string::npos, gyro = text.find("gyro") != std::string::npos;
  const auto range = text.find("range");
  if (acc == gyro || range == std::string::npos) return std::nullopt;
  const auto digit = text.find_first_of("0123456789", range);
  if (digit == std::string::npos) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data() + digit, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (acc) {
    if (!unit.starts_with("g") || value < 1 || value > 64) return std::nullopt;
  } else if (!(unit.starts_with("deg/s") || unit.starts_with("dps") || unit.starts_with("\xC2\xB0/s")) ||
             value < 100 || value > 5000) {
    return std::nullopt;
  }
  return RangeDeclaration{gyro, value};
}

}  // namespace stride::io::detail
