// Shimmer3 via Consensys CSV export: an optional "sep=," (or tab) first line, a names row (device name, then
// quantity: "Shimmer_40AC_Timestamp_Unix_CAL,Shimmer_40AC_Accel_WR_X_CAL,...,Shimmer_40AC_Gyro_X_CAL,..."),
// sometimes a "CAL" row, then a units row ("ms,m/(s^2),...,deg/s,"), often with a trailing separator.
// Read: Timestamp_Unix_CAL (ms; else Timestamp_CAL), the wide-range accelerometer Accel_WR (the low-noise Accel_LN
// is +-2 g and clips while running; used only when there is no WR), Gyro (deg/s). Units from the units row.
// Spec: Shimmer Consensys user manual (export "Calibrated" CSV); ../shared/FORMATS.md section 1.1 "Shimmer3".
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Recognised;
using detail::Role;
using detail::Unit;

// The part after the device's name: "Shimmer_40AC_Accel_WR_X_CAL" -> "Accel_WR_X_CAL". The name is the user's
// choice in Consensys: real exports also say "S_SeatHead_Timestamp_Unix_CAL" or "imu_Accel_WR_X_CAL" (seen in
// code reading real files; recordings/reference/real_exports/shimmer/SOURCE.md), so the quantity is found by its
// own first word, the earliest one in the cell ("System_Timestamp" before "Timestamp").
std::string_view quantity(std::string_view cell) {
  std::size_t at = std::string_view::npos;
  for (std::string_view word : {"_System_Timestamp", "_Timestamp", "_Accel_", "_Gyro_", "_Mag_"}) {
    const auto p = cell.find(word);
    if (p != std::string_view::npos && p < at) at = p;
  }
  return at == std::string_view::npos ? cell : cell.substr(at + 1);
}

Detection detect(const HeaderView& h) {
  for (const auto c : h.cells) {
    const std::string_view q = quantity(c);
    if (q.ends_with("_CAL") && (q.starts_with("Accel_") || q.starts_with("Gyro_") || q.starts_with("Timestamp")))
      return {90, "Shimmer Consensys: header '" + std::string(c) + "'"};
  }
  return {};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string&) {
  Plan p;
  p.units_rows = 2;
  p.gyro_only_ok = true;
  bool wr = false, unix_time = false;
  for (const auto c : h.cells) {
    wr = wr || quantity(c).starts_with("Accel_WR_");
    unix_time = unix_time || quantity(c) == "Timestamp_Unix_CAL";
  }
  p.note = wr ? "wide-range accelerometer Accel_WR" : "low-noise accelerometer Accel_LN (+-2 g: clips while running)";
  for (const auto c : h.cells) {
    const std::string_view q = quantity(c);
    Recognised r;
    if (q == (unix_time ? "Timestamp_Unix_CAL" : "Timestamp_CAL")) r = {Role::time, Unit::ms};
    for (int axis = 0; axis < 3; ++axis) {
      const std::string xyz(1, "XYZ"[axis]);
      if (q == (wr ? "Accel_WR_" : "Accel_LN_") + xyz + "_CAL" || (!wr && q == "Accel_" + xyz + "_CAL"))
        r = {static_cast<Role>(static_cast<int>(Role::acc_x) + axis), Unit::mps2};
      if (q == "Gyro_" + xyz + "_CAL") r = {static_cast<Role>(static_cast<int>(Role::gyr_x) + axis), Unit::dps};
    }
    p.columns.push_back(r);
  }
  return p;
}

}  // namespace

const Format kShimmer{"shimmer", "Shimmer3 Consensys calibrated CSV (sep= line, names row, units row)",
                      "\"sep=,\" / Shimmer_40AC_Timestamp_Unix_CAL,Shimmer_40AC_Accel_WR_X_CAL,...,"
                      "Shimmer_40AC_Gyro_X_CAL,... / ms,m/(s^2),...,deg/s",
                      "Shimmer Consensys user manual (CSV export); FORMATS.md 1.1", detect, plan};

}  // namespace stride::io::formats
