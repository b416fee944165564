// MbientLab MetaBase / MetaWear CSV: one file per sensor. MetaBase itself writes "epoc (ms),timestamp (-0800),
// elapsed (s),x-axis (g),y-axis (g),z-axis (g)" ("epoc" sic; timestamp text "2018-01-14T18.39.29.561", dots; seen
// in the app's own test exports, recordings/reference/real_exports/metabase/SOURCE.md); the MetaWear sample apps
// write "epoch (ms),time (+01:00),elapsed (s),..." (gyroscope: "x-axis (deg/s)"). The clock read is "elapsed (s)";
// the text column is never read. Streamed data comes in blocks of three samples with one stamp (the BLE
// notification's arrival): the rows are spread up to the next stamp, not dropped as repeats.
// Spec: MetaBase exports as above; the MetaWear sample apps' CSV writer (String.format("epoch (ms),time (%s),elapsed
// (s),%s%n", ...)); ../shared/FORMATS.md section 1.1 "MbientLab MetaMotion".
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Recognised;
using detail::Role;
using detail::Unit;

Detection detect(const HeaderView& h) {
  bool elapsed = false, axis = false;
  for (const auto c : h.cells) {
    elapsed = elapsed || c == "elapsed (s)";
    axis = axis || c.starts_with("x-axis (");
  }
  if (!(elapsed && axis)) return {};
  return {90, "MetaBase: header 'epoc (ms),timestamp (...),elapsed (s),x-axis (...)'"};
}

Plan plan(const HeaderView& h, const ImportOptions&, const std::string& where) {
  Plan p;
  p.gyro_only_ok = true;
  p.spread_shared_stamps = true;  // streamed data: three samples a BLE notification, one stamp (real exports)
  for (const auto c : h.cells) {
    Recognised r;
    if (c == "elapsed (s)") r = {Role::time, Unit::s};
    const int axis = c.starts_with("x-axis") ? 0 : c.starts_with("y-axis") ? 1 : c.starts_with("z-axis") ? 2 : -1;
    if (axis >= 0) {
      const auto open = c.find('('), close = c.rfind(')');
      const Unit u = open != std::string_view::npos && close > open
                         ? detail::parse_unit(c.substr(open + 1, close - open - 1))
                         : Unit::none;  // the unit in brackets
      const bool acc = u == Unit::g || u == Unit::mps2;
      if (!acc && u != Unit::dps && u != Unit::rad_s)
        throw ImportError(where + ": MetaBase column '" + std::string(c) +
                          "' is neither an accelerometer (g) nor a gyroscope (deg/s); export those two sensors");
      r = {static_cast<Role>(static_cast<int>(acc ? Role::acc_x : Role::gyr_x) + axis), u};
    }
    p.columns.push_back(r);
  }
  return p;
}

}  // namespace

const Format kMetaWear{"metawear", "MbientLab MetaBase CSV, one sensor per file (elapsed (s); g or deg/s)",
                       "epoc (ms),timestamp (-0800),elapsed (s),x-axis (g),y-axis (g),z-axis (g)",
                       "MetaBase exports (recordings/reference/real_exports/metabase); MetaWear sample apps' CSV "
                       "writer; FORMATS.md 1.1",
                       detect, plan, true};

}  // namespace stride::io::formats
