// Reference firmware for an ESP32-C3 with an LSM6DSO on I2C (Arduino core). NOT compiled by CMake: see README.md.
// The board-specific part is only this file: the LSM6DSO driver and the USB-serial sink around the shared core.
#include <Arduino.h>
#include <Wire.h>

#include "firmware_iface/firmware/board_core.hpp"

namespace {

constexpr int kSda = 8, kScl = 9;          // GPIO numbers: change them for your board
constexpr std::uint8_t kAddr = 0x6A;       // SDO/SA0 to GND (0x6B when high)
constexpr bool kTextOutput = false;        // true: CSV lines for a serial monitor instead of binary frames

// LSM6DSO registers (datasheet DS12140).
constexpr std::uint8_t kWhoAmI = 0x0F, kWhoAmIValue = 0x6C;
constexpr std::uint8_t kCtrl1Xl = 0x10, kCtrl2G = 0x11, kCtrl3C = 0x12, kStatus = 0x1E, kOutxLG = 0x22;

class Lsm6dso final : public stride::fw::ImuDriver {
 public:
  bool begin() override {
    Wire.begin(kSda, kScl, 400000);
    if (read_reg(kWhoAmI) != kWhoAmIValue) return false;
    write_reg(kCtrl3C, 0x01);                 // SW_RESET
    delay(10);
    write_reg(kCtrl3C, 0x44);                 // BDU (no torn samples) + IF_INC (auto-increment)
    write_reg(kCtrl1Xl, 0x64);                // accel 416 Hz, +-16 g
    write_reg(kCtrl2G, 0x6C);                 // gyro 416 Hz, +-2000 dps
    return true;
  }

  bool read(stride::wire::RawSample& out) override {
    if ((read_reg(kStatus) & 0x03) != 0x03) return false;  // XLDA and GDA: both new
    const std::uint32_t t = micros();
    std::uint8_t b[12];
    Wire.beginTransmission(kAddr);
    Wire.write(kOutxLG);
    if (Wire.endTransmission(false) != 0 || Wire.requestFrom(kAddr, std::uint8_t{12}) != 12) return false;
    for (auto& x : b) x = static_cast<std::uint8_t>(Wire.read());
    out.t_us = t;
    for (int a = 0; a < 3; ++a) {
      const auto g = static_cast<std::int16_t>(b[2 * a] | (b[2 * a + 1] << 8));
      const auto x = static_cast<std::int16_t>(b[6 + 2 * a] | (b[6 + 2 * a + 1] << 8));
      out.acc[a] = x;                           // 0.488 mg/LSB ~ 16 g / 32768 (within 0.06 %)
      out.gyr[a] = scale_gyro(g);               // 70 mdps/LSB -> 2000 dps / 32768 per count
    }
    return true;
  }

  std::uint32_t rate_mhz() const override { return 416000; }
  std::uint16_t acc_range_g() const override { return 16; }
  std::uint16_t gyr_range_dps() const override { return 2000; }
  const char* sensor_name() const override { return "LSM6DSO"; }

 private:
  static std::int16_t scale_gyro(std::int16_t raw) {
    const std::int32_t v = (static_cast<std::int32_t>(raw) * 70000 + (raw >= 0 ? 30518 : -30518)) / 61035;
    return static_cast<std::int16_t>(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
  static std::uint8_t read_reg(std::uint8_t reg) {
    Wire.beginTransmission(kAddr);
    Wire.write(reg);
    Wire.endTransmission(false);
    Wire.requestFrom(kAddr, std::uint8_t{1});
    return Wire.available() ? static_cast<std::uint8_t>(Wire.read()) : 0;
  }
  static void write_reg(std::uint8_t reg, std::uint8_t v) {
    Wire.beginTransmission(kAddr);
    Wire.write(reg);
    Wire.write(v);
    Wire.endTransmission();
  }
};

class SerialSink final : public stride::fw::ByteSink {
 public:
  void write(const std::uint8_t* d, std::size_t n) override { Serial.write(d, n); }
};

Lsm6dso imu;
SerialSink sink;
stride::fw::BoardConfig config() {
  stride::fw::BoardConfig c;
  c.output = kTextOutput ? stride::fw::Output::text : stride::fw::Output::binary;
  c.board = "ESP32-C3";
  c.firmware = "stride-fw 1.0.0";
  return c;
}
stride::fw::BoardCore core(imu, sink, config());

}  // namespace

void setup() {
  Serial.begin(921600);  // USB CDC: the number is ignored by the C3's USB serial, used by a UART bridge
  while (!imu.begin()) {
    Serial.println("# error: LSM6DSO not found at 0x6A (check SDA/SCL pins and SDO)");
    delay(1000);
  }
}

void loop() {
  stride::wire::RawSample s;
  while (imu.read(s)) core.push(s);
}
