// Full-scale ranges that a log declares in its own lines before the table. Sketches built on Adafruit's sensor
// libraries print them at start-up: "Accelerometer range set to: +-8G", "Gyro range set to: +- 500 deg/s"
// (Adafruit_MPU6050 basic_readings, Adafruit_LSM6DS examples; V: many copies in the code index). A raw-count log
// (the arduino preset) converts its counts by the range, so a declared one must be used rather than the sensor's
// default; for any log the range tells clipping. (stride's own `# acc_range_g: 8` lines are metadata, read by
// apply_meta_line.)
#pragma once

#include <optional>
#include <string_view>

namespace stride::io::detail {

struct RangeDeclaration {
  bool gyro = false;   // false: the accelerometer's range in g; true: the gyroscope's in deg/s
  double value = 0.0;  // full scale: +-value
};

// A line naming the accelerometer ("accel") or the gyroscope ("gyro"), the word "range", and after it a number with
// its unit (g; deg/s, dps or °/s) in a plausible span (1-64 g, 100-5000 deg/s); nullopt otherwise.
std::optional<RangeDeclaration> parse_range_declaration(std::string_view line);

}  // namespace stride::io::detail
