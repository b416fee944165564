#include "terminal_summary.hpp"

#include <fmt/format.h>

namespace stride::cli {
namespace {

const MetricSummary* find(const SessionSummary& s, const std::string& name) {
  for (const auto& m : s.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace

void print_summary(std::FILE* out, const std::string& path, const io::Imported& imp, const SessionResult& r,
                   const std::vector<Flag>* flags) {
  const auto& rec = imp.recording;
  const auto& q = r.quality;
  fmt::print(out, "{}\n", path);
  if (flags) {
    // The flags first, one line each: worth checking, never a diagnosis (--json has the evidence and sources).
    if (flags->empty()) fmt::print(out, "  flags: none\n");
    for (const auto& f : *flags)
      fmt::print(out, "  flag {:<4} {:<16} {} ({} strides)\n", to_string(f.severity), f.id, f.title, f.strides);
    if (!flags->empty()) fmt::print(out, "  (flags are worth checking, not a diagnosis; --json has the evidence, rule and source)\n");
  }
  fmt::print(out, "  {} s, {} samples at {:.1f} Hz ({}), foot: {}, placement: {}\n",
             fmt::format("{:.1f}", r.summary.duration_s), q.samples, q.nominal_rate_hz, imp.report.format,
             to_string(rec.meta.side), to_string(rec.meta.placement));
  fmt::print(out, "  units: acc {} ({}), gyro {} ({}), time {}\n", imp.report.acc_unit, imp.report.acc_unit_reason,
             imp.report.gyr_unit, imp.report.gyr_unit_reason, imp.report.time_unit);
  if (imp.report.skipped || q.gaps || q.clipped_acc_samples || q.clipped_gyr_samples || imp.report.duplicate_stamps)
    fmt::print(out, "  data: {} lines skipped, {} repeated stamps dropped, {} gaps ({} samples, longest {:.3f} s), "
               "clipped samples acc {} / gyro {}\n",
               imp.report.skipped, imp.report.duplicate_stamps, q.gaps, q.missing_samples, q.gap_longest_s,
               q.clipped_acc_samples, q.clipped_gyr_samples);
  for (const auto& issue : imp.report.issues) {
    fmt::print(out, "    line {}: {}\n", issue.line, issue.what);
    if (&issue - imp.report.issues.data() >= 4) {
      fmt::print(out, "    ... (--json lists up to 50)\n");
      break;
    }
  }
  fmt::print(out, "  strides: {} found, {} valid\n", r.summary.strides_total, r.summary.strides_valid);
  const struct {
    const char* name;
    const char* label;
    const char* unit;
    int decimals;
  } rows[] = {{"cadence_spm", "cadence", "steps/min (from one foot)", 1},
              {"stride_time_s", "stride time", "s", 3},
              {"gct_ms", "ground contact", "ms", 0},
              {"flight_ms", "flight", "ms (from one foot)", 0},
              {"swing_ms", "swing", "ms", 0},
              {"duty_factor", "duty factor", "", 2},
              {"peak_impact_g", "peak impact", "g", 1},
              {"stride_length_m", "stride length", "m", 2},
              {"speed_mps", "speed", "m/s", 2},
              {"fsa_deg", "foot strike", "deg (toe up +)", 1},
              {"toe_off_angle_deg", "toe-off angle", "deg", 1},
              {"pronation_excursion_deg", "pronation", "deg (eversion in stance)", 1},
              {"pronation_velocity_dps", "pronation vel.", "deg/s", 0},
              {"max_clearance_m", "clearance", "m (sensor height in swing)", 2},
              {"pta_g", "tibial shock", "g (peak axial, PTA)", 1},
              {"shank_angle_ic_deg", "shank at IC", "deg (ankle ahead of knee +)", 1}};
  for (const auto& row : rows) {
    const auto* m = find(r.summary, row.name);
    if (!m || m->n == 0) continue;
    fmt::print(out, "  {:<15} {:>8.{}f} ± {:<6.{}f} (median {:.{}f}) {}\n", row.label, m->mean, row.decimals, m->sd,
               row.decimals, m->median, row.decimals, row.unit);
  }
  if (r.spatial.ok) {
    int counts[4] = {0, 0, 0, 0};
    for (const auto& s : r.strides)
      if (s.valid) ++counts[static_cast<int>(s.strike_pattern)];
    const int known = counts[1] + counts[2] + counts[3];
    if (known > 0)
      fmt::print(out, "  strike pattern  rearfoot {:.0f} %, midfoot {:.0f} %, forefoot {:.0f} % of {} strides\n",
                 100.0 * counts[1] / known, 100.0 * counts[2] / known, 100.0 * counts[3] / known, known);
    fmt::print(out, "  distance        {:.1f} m (sum of valid strides){}\n", r.spatial.distance_m,
               r.spatial.saturated_strides
                   ? fmt::format("; {} strides without spatial values (sensor saturated)", r.spatial.saturated_strides)
                   : "");
  }
  for (const auto& w : r.warnings) fmt::print(out, "  note: {}\n", w);
}

}  // namespace stride::cli
