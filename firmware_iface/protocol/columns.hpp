// Header and cell recognition: which column is time / acceleration / angular rate, and the unit its name declares.
// Knows spellings (ax, acc_x, accX, "Accelerometer X (g)", node:scaledAccelX, gyr_x_rad_s, "Timestamp (us)", ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stride::io::detail {

enum class Role : std::uint8_t { none, time, acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z, index };
enum class Unit : std::uint8_t { none, s, ms, us, ns, g, mps2, mg, dps, rad_s, mdps };
// What a unit measures; the group index used for declared units (0 time, 1 acceleration, 2 angular rate), -1 none.
int unit_group(Unit u);

struct Recognised {
  Role role = Role::none;
  Unit unit = Unit::none;  // declared by the name ("(g)", "_mps2", "time_ms"), none when not said
};

Recognised recognise_column(std::string_view header_cell);

// "g", "m/s^2", "m/s²", "mg", "deg/s", "dps", "mdps", "rad/s", "s", "ms", "us", "µs", "ns", ... -> Unit (none when
// unknown).
Unit parse_unit(std::string_view text);

std::string_view role_name(Role r);   // "time", "acc_x", ...
std::string_view unit_name(Unit u);   // "s", "ms", "us", "ns", "g", "m/s^2", "mg", "deg/s", "rad/s", "mdps"
bool is_acc(Role r);
bool is_gyr(Role r);
int axis_of(Role r);                  // 0..2 for acc/gyr roles

// ',' ';' '\t' by counting them in the header line (outside quotes); ' ' means runs of blanks.
char detect_delimiter(std::string_view header_line);

std::string_view trim(std::string_view s);           // blanks and surrounding double quotes
// Splits a header-like line into trimmed, unquoted cells (quotes may protect delimiters).
void split_cells(std::string_view line, char delimiter, std::vector<std::string_view>& cells);

std::string ascii_lower(std::string_view s);

}  // namespace stride::io::detail
