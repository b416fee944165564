// The FIT writer and reader as a pair (firmware_iface/fit/): the bytes choose a file (messages of any global number
// but 206/207, fields of every base type with arrays, strings and byte blobs, developer fields, more shapes than the
// 16 local types so definitions are reused and replaced) and the values, including ones a type cannot hold. The
// writer may refuse a value with a FitError; whatever it writes must decode with its CRCs checked and give back
// every message, field and element exactly as written. Anything else (a crash, UB, another exception, a value
// that comes back different) is a finding.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "firmware_iface/fit/profile.hpp"
#include "firmware_iface/fit/reader.hpp"
#include "firmware_iface/fit/writer.hpp"

namespace {

using stride::fit::BaseType;

constexpr std::array kTypes = {BaseType::enum_,  BaseType::sint8,   BaseType::uint8,   BaseType::sint16,
                               BaseType::uint16, BaseType::sint32,  BaseType::uint32,  BaseType::string,
                               BaseType::float32, BaseType::float64, BaseType::uint8z, BaseType::uint16z,
                               BaseType::uint32z, BaseType::byte,    BaseType::sint64,  BaseType::uint64,
                               BaseType::uint64z};
constexpr std::array kNumeric = {BaseType::sint8,  BaseType::uint8,   BaseType::sint16,  BaseType::uint16,
                                 BaseType::sint32, BaseType::uint32,  BaseType::float32, BaseType::float64,
                                 BaseType::sint64, BaseType::uint64};

// A value near the interesting edges of any type: small integers, powers of two and their neighbours (the invalid
// patterns and the 64-bit limits), fractions, NaN (written as "invalid"), or any double.
double pick_value(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0: return static_cast<double>(in.ConsumeIntegralInRange<std::int64_t>(-300, 300));
    case 1: return std::ldexp(1.0, in.ConsumeIntegralInRange<int>(0, 66)) + in.ConsumeIntegralInRange<int>(-3, 3);
    case 2: return -std::ldexp(1.0, in.ConsumeIntegralInRange<int>(0, 66)) + in.ConsumeIntegralInRange<int>(-3, 3);
    case 3: return std::nan("");
    default: return in.ConsumeFloatingPoint<double>();
  }
}

// What the reader must give back for element v written as type t (the writer rounds integers, narrows float32).
double expected(BaseType t, double v) {
  if (t == BaseType::float32) return static_cast<double>(static_cast<float>(v));
  if (t == BaseType::float64) return v;
  return std::round(v);
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

struct Written {
  std::uint16_t global = 0;
  std::vector<stride::fit::OutField> fields;
  std::vector<stride::fit::OutDevField> dev;
};

void check(bool ok) {
  if (!ok) std::abort();
}

void check_element(const stride::fit::FieldValue& got, std::size_t i, BaseType t, double written) {
  const auto v = got.value(i);
  if (std::isnan(written)) return check(!v.has_value());
  check(v.has_value() && same(*v, expected(t, written)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fit = stride::fit;
  FuzzedDataProvider in(data, size);
  fit::Writer writer(in.ConsumeIntegral<std::uint16_t>());
  std::vector<BaseType> dev_types;  // developer 0's fields, by field number
  std::vector<Written> written;
  try {
    if (in.ConsumeBool()) {
      writer.add_developer(0, {}, in.ConsumeIntegral<std::uint32_t>());
      const int described = in.ConsumeIntegralInRange<int>(1, 3);
      for (int k = 0; k < described; ++k) {
        fit::DeveloperFieldDescription d;
        d.field_number = static_cast<std::uint8_t>(k);
        d.type = in.PickValueInArray(kNumeric);
        d.name = in.ConsumeRandomLengthString(24);
        d.units = in.ConsumeRandomLengthString(8);
        writer.describe_field(d);
        dev_types.push_back(d.type);
      }
    }
    const int messages = in.ConsumeIntegralInRange<int>(1, 40);
    for (int m = 0; m < messages && in.remaining_bytes() > 0; ++m) {
      Written w;
      w.global = in.ConsumeIntegral<std::uint16_t>();
      if (w.global == fit::profile::mesg::field_description || w.global == fit::profile::mesg::developer_data_id)
        w.global = 208;  // (the reader reads those two as the developer fields' descriptions)
      const int fields = in.ConsumeIntegralInRange<int>(0, 6);
      for (int f = 0; f < fields; ++f) {
        const BaseType t = in.PickValueInArray(kTypes);
        const auto number = in.ConsumeIntegral<std::uint8_t>();
        if (t == BaseType::string) {
          std::string text = in.ConsumeRandomLengthString(40);
          for (char& c : text) c = c == '\0' ? ' ' : c;  // a NUL ends a FIT string
          w.fields.push_back(fit::OutField::str(number, text));
        } else if (t == BaseType::byte) {
          w.fields.push_back(fit::OutField::bytes(number, in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<int>(1, 12))));
          if (w.fields.back().raw_bytes.empty()) w.fields.back().raw_bytes = {0};
        } else {
          fit::OutField out;
          out.number = number;
          out.type = t;
          const int count = in.ConsumeIntegralInRange<int>(1, 4);
          for (int e = 0; e < count; ++e) out.values.push_back(pick_value(in));
          w.fields.push_back(out);
        }
      }
      for (std::size_t k = 0; k < dev_types.size(); ++k)
        if (in.ConsumeBool()) w.dev.push_back({static_cast<std::uint8_t>(k), 0, pick_value(in)});
      writer.write(w.global, w.fields, w.dev);
      written.push_back(std::move(w));
    }
  } catch (const fit::FitError&) {
    return 0;  // a value the type cannot hold, refused: nothing is written
  }

  const std::vector<std::uint8_t> bytes = writer.finish();
  std::size_t next = 0;
  fit::decode(bytes.data(), bytes.size(), "roundtrip.fit", [&](const fit::Message& got) {
    if (got.global == fit::profile::mesg::field_description || got.global == fit::profile::mesg::developer_data_id)
      return;
    check(next < written.size());
    const Written& w = written[next++];
    check(got.global == w.global && got.fields.size() == w.fields.size() && got.developer_fields.size() == w.dev.size());
    for (std::size_t f = 0; f < w.fields.size(); ++f) {
      const auto& out = w.fields[f];
      const auto& field = got.fields[f];
      check(field.number == out.number && field.type == out.type);
      if (out.type == BaseType::string) {
        check(field.text() == out.text);
      } else if (out.type == BaseType::byte) {
        check(field.bytes == out.raw_bytes);
      } else {
        check(field.count() == out.values.size());
        for (std::size_t e = 0; e < out.values.size(); ++e) check_element(field, e, out.type, out.values[e]);
      }
    }
    for (std::size_t k = 0; k < w.dev.size(); ++k) {
      const auto& dev = got.developer_fields[k];
      check(dev.value.number == w.dev[k].number && dev.description.has_value());
      check_element(dev.value, 0, dev_types[w.dev[k].number], w.dev[k].value);
    }
  });  // a FitError here escapes: the writer's own file did not decode
  check(next == written.size());
  return 0;
}
