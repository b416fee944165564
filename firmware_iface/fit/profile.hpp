// The few FIT profile numbers stride uses (message numbers, field numbers, scales, offsets, enum values), taken
// from the public FIT profile (version 21.x). Our own table: Garmin's SDK is not copied or linked (FORMATS.md §4.2).
// A value in a file is raw; the quantity is raw / scale - offset.
#pragma once

#include <cstdint>

namespace stride::fit::profile {

inline constexpr std::uint16_t kProfileVersion = 2132;  // 21.32, written in the file header

struct Scale {
  double scale = 1;
  double offset = 0;
};

namespace mesg {
inline constexpr std::uint16_t file_id = 0;
inline constexpr std::uint16_t session = 18;
inline constexpr std::uint16_t lap = 19;
inline constexpr std::uint16_t record = 20;
inline constexpr std::uint16_t event = 21;
inline constexpr std::uint16_t device_info = 23;
inline constexpr std::uint16_t activity = 34;
inline constexpr std::uint16_t field_description = 206;
inline constexpr std::uint16_t developer_data_id = 207;
}  // namespace mesg

// Fields every message may carry.
inline constexpr std::uint8_t kTimestamp = 253;     // uint32 date_time, s since the FIT epoch
inline constexpr std::uint8_t kMessageIndex = 254;  // uint16

namespace file_id {
inline constexpr std::uint8_t type = 0, manufacturer = 1, product = 2, serial_number = 3, time_created = 4,
                              product_name = 8;
inline constexpr std::uint8_t kTypeActivity = 4;
}  // namespace file_id

inline constexpr std::uint16_t kManufacturerDevelopment = 255;

namespace device_info {
inline constexpr std::uint8_t device_index = 0, manufacturer = 2, serial_number = 3, product = 4,
                              software_version = 5, product_name = 27;
inline constexpr Scale kSoftwareVersion{100, 0};
}  // namespace device_info

namespace record {
inline constexpr std::uint8_t position_lat = 0, position_long = 1, heart_rate = 3, cadence = 4, distance = 5,
                              speed = 6, vertical_oscillation = 39, stance_time_percent = 40, stance_time = 41,
                              fractional_cadence = 53, enhanced_speed = 73, vertical_ratio = 83,
                              stance_time_balance = 84, step_length = 85;
inline constexpr Scale kCadence{1, 0};               // rpm: for running, strides (one foot) per minute
inline constexpr Scale kFractionalCadence{128, 0};   // rpm
inline constexpr Scale kDistance{100, 0};            // m
inline constexpr Scale kSpeed{1000, 0};              // m/s (speed and enhanced_speed)
inline constexpr Scale kVerticalOscillation{10, 0};  // mm
inline constexpr Scale kStanceTimePercent{100, 0};   // %
inline constexpr Scale kStanceTime{10, 0};           // ms
inline constexpr Scale kStanceTimeBalance{100, 0};   // %
inline constexpr Scale kStepLength{10, 0};           // mm
}  // namespace record

namespace lap {
inline constexpr std::uint8_t event = 0, event_type = 1, start_time = 2, total_elapsed_time = 7,
                              total_timer_time = 8, total_distance = 9, total_cycles = 10, avg_speed = 13,
                              avg_cadence = 17, lap_trigger = 24, sport = 25, avg_fractional_cadence = 80,
                              avg_stance_time_percent = 78, avg_stance_time = 79, enhanced_avg_speed = 110,
                              avg_stance_time_balance = 119, avg_step_length = 120;
}  // namespace lap

namespace session {
inline constexpr std::uint8_t event = 0, event_type = 1, start_time = 2, sport = 5, sub_sport = 6,
                              total_elapsed_time = 7, total_timer_time = 8, total_distance = 9, total_cycles = 10,
                              avg_speed = 14, avg_cadence = 18, first_lap_index = 25, num_laps = 26, trigger = 28,
                              avg_stance_time_percent = 90, avg_stance_time = 91, avg_fractional_cadence = 92,
                              enhanced_avg_speed = 124, avg_stance_time_balance = 133, avg_step_length = 134;
}  // namespace session

namespace activity {
inline constexpr std::uint8_t total_timer_time = 0, num_sessions = 1, type = 2, event = 3, event_type = 4,
                              local_timestamp = 5;
}  // namespace activity

namespace event {
inline constexpr std::uint8_t event = 0, event_type = 1, event_group = 4;
}  // namespace event

// Shared scales of lap/session/activity fields.
inline constexpr Scale kTime{1000, 0};  // s (total_elapsed_time, total_timer_time)

// Enum values.
inline constexpr std::uint8_t kSportRunning = 1;
inline constexpr std::uint8_t kSubSportGeneric = 0;
inline constexpr std::uint8_t kEventTimer = 0, kEventSession = 8, kEventLap = 9, kEventActivity = 26;
inline constexpr std::uint8_t kEventTypeStart = 0, kEventTypeStop = 1, kEventTypeStopAll = 4;
inline constexpr std::uint8_t kLapTriggerDistance = 2, kLapTriggerSessionEnd = 7;
inline constexpr std::uint8_t kSessionTriggerActivityEnd = 0;
inline constexpr std::uint8_t kActivityManual = 0;

namespace developer_data_id {
inline constexpr std::uint8_t developer_id = 0, application_id = 1, manufacturer_id = 2, developer_data_index = 3,
                              application_version = 4;
}  // namespace developer_data_id

namespace field_description {
inline constexpr std::uint8_t developer_data_index = 0, field_definition_number = 1, fit_base_type_id = 2,
                              field_name = 3, scale = 6, offset = 7, units = 8, native_mesg_num = 14,
                              native_field_num = 15;
}  // namespace field_description

}  // namespace stride::fit::profile
