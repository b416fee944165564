// Arduino serial logs. Boot and banner lines before the header ("Initializing I2C devices...", "MPU6050 connection
// successful", ESP32 "ets Jun  8 2016 00:22:57", "rst:0x1 ...") are skipped and counted by the reader for every
// format; this preset reads the I2Cdevlib MPU6050_raw example's lines "a/g:\t-1788\t-512\t15148\t-263\t212\t-183":
// no header, no time, six raw int16 counts. Counts -> units by the declared full-scale range (MPU-6050 datasheet:
// +-2 g = 16384 LSB/g ... +-16 g = 2048; +-250 deg/s = 131 LSB/(deg/s) ... +-2000 = 16.4). Needs --rate.
// Spec: I2Cdevlib examples/MPU6050_raw; InvenSense MPU-6000/6050 Product Specification rev 3.4 sections 6.1-6.2;
// ../shared/FORMATS.md sections 1.1 and 1.3.
#include "presets.hpp"

namespace stride::io::formats {

namespace {

using detail::Role;

Detection detect(const HeaderView& h) {
  if (!h.line.starts_with("a/g:")) return {};
  return {90, "Arduino MPU6050_raw: lines 'a/g:' with six raw counts"};
}

double gyro_lsb_per_dps(double range_dps) {
  // The datasheet's rounded sensitivities for the four ranges; 32768 / range otherwise.
  if (range_dps == 250) return 131.0;
  if (range_dps == 500) return 65.5;
  if (range_dps == 1000) return 32.8;
  if (range_dps == 2000) return 16.4;
  return 32768.0 / range_dps;
}

Plan plan(const HeaderView& h, const ImportOptions& o, const std::string& where) {
  if (h.cells.size() != 7)
    throw ImportError(where + ": an 'a/g:' line with " + std::to_string(h.cells.size() - 1) +
                      " numbers; expected six raw counts 'a/g:<TAB>ax<TAB>ay<TAB>az<TAB>gx<TAB>gy<TAB>gz'");
  Plan p;
  p.headerless = true;
  p.columns.resize(7);
  for (int i = 0; i < 6; ++i) p.columns[1 + i].role = static_cast<Role>(static_cast<int>(Role::acc_x) + i);
  p.acc_range_g = o.acc_range_g > 0 ? o.acc_range_g : 2.0;
  p.gyr_range_dps = o.gyr_range_dps > 0 ? o.gyr_range_dps : 250.0;
  p.acc_lsb_per_g = 32768.0 / p.acc_range_g;
  p.gyr_lsb_per_dps = gyro_lsb_per_dps(p.gyr_range_dps);
  return p;
}

}  // namespace

const Format kArduino{"arduino",
                      "Arduino serial log: banner lines skipped; MPU6050_raw 'a/g:' raw counts (--acc-range, "
                      "--gyr-range, --rate)",
                      "a/g:\t-1788\t-512\t15148\t-263\t212\t-183",
                      "I2Cdevlib MPU6050_raw example; MPU-6050 datasheet 6.1-6.2; FORMATS.md 1.3", detect, plan};

}  // namespace stride::io::formats
