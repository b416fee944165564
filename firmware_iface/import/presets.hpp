// The presets, one file each in this folder; formats.cpp lists them.
#pragma once

#include "formats.hpp"

namespace stride::io::formats {

extern const Format kXimu3;          // ximu3.cpp
extern const Format kPhyphox;        // phyphox.cpp
extern const Format kSensorLogger;   // sensor_logger.cpp
extern const Format kTxyz;           // txyz.cpp
extern const Format kMetaWear;       // metawear.cpp
extern const Format kShimmer;        // shimmer.cpp
extern const Format kWitMotionText;  // witmotion_text.cpp
extern const Format kArduino;        // arduino.cpp

}  // namespace stride::io::formats
