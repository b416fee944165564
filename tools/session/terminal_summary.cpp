#include "tools/session/terminal_summary.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stride::session {
namespace {

const MetricSummary* find(const SessionSummary& s, const std::string& name) {
  for (const auto& m : s.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

// The flags first, one line each: worth checking, never a diagnosis (--json has the evidence and sources).
void print_flags(std::FILE* out, const std::vector<Flag>& flags) {
  if (flags.empty()) fmt::print(out, "  flags: none\n");
  for (const auto& f : flags)
    fmt::print(out, "  flag {:<4} {:<19} {}{} ({} strides)\n", to_string(f.severity), f.id,
               f.side.empty() || f.side == "both" ? "" : f.side + ": ", f.title, f.strides);
  if (!flags.empty())
    fmt::print(out, "  (flags are worth checking, not a diagnosis; --json has the evidence, rule and source)\n");
}

struct Row {
  const char* name;
  const char* label;
  const char* unit;
  int decimals;
};

}  // namespace

void print_summary(std::FILE* out, const std::string& path, const io::Imported& imp, const SessionResult& r,
                   const std::vector<Flag>* flags) {
  const auto& rec = imp.recording;
  const auto& q = r.quality;
  fmt::print(out, "{}\n", path);
  if (flags) print_flags(out, *flags);
  fmt::print(out, "  {} s, {} samples at {:.1f} Hz ({}), foot: {}, placement: {}\n",
             fmt::format("{:.1f}", r.summary.duration_s), q.samples, q.nominal_rate_hz, imp.report.format,
             to_string(rec.meta.side), to_string(rec.meta.placement));
  if (!imp.report.format_reason.empty() || imp.report.banner_lines || imp.report.encoding != "UTF-8")
    fmt::print(out, "  format: {} ({}{}{})\n", imp.report.format,
               imp.report.format_reason.empty() ? "built-in layout" : imp.report.format_reason,
               imp.report.banner_lines ? fmt::format("; {} lines before the header skipped", imp.report.banner_lines)
                                       : std::string(),
               imp.report.encoding != "UTF-8" ? "; text " + imp.report.encoding : std::string());
  fmt::print(out, "  units: acc {} ({}), gyro {} ({}), time {}\n", imp.report.acc_unit, imp.report.acc_unit_reason,
             imp.report.gyr_unit, imp.report.gyr_unit_reason, imp.report.time_unit);
  for (const auto& note : imp.report.notes) fmt::print(out, "  import: {}\n", note);
  if (imp.report.skipped || q.gaps || q.clipped_acc_samples || q.clipped_gyr_samples || imp.report.duplicate_stamps)
    fmt::print(out, "  data: {} lines skipped, {} repeated stamps dropped, {} gaps ({} samples, longest {:.3f} s), "
               "clipped samples acc {} / gyro {}\n",
               imp.report.skipped, imp.report.duplicate_stamps, q.gaps, q.missing_samples, q.gap_longest_s,
               q.clipped_acc_samples, q.clipped_gyr_samples);
  for (const auto& issue : imp.report.issues) {
    fmt::print(out, "    {}\n", io::issue_text(issue));
    if (&issue - imp.report.issues.data() >= 4) {
      fmt::print(out, "    ... (--json lists up to 50)\n");
      break;
    }
  }
  fmt::print(out, "  strides: {} found, {} valid\n", r.summary.strides_total, r.summary.strides_valid);
  const Row rows[] = {{"cadence_spm", "cadence", r.summary.one_foot ? "steps/min (from one foot)" : "steps/min", 1},
              {"stride_time_s", "stride time", "s", 3},
              {"gct_ms", "ground contact", "ms", 0},
              {"flight_ms", "flight", r.summary.one_foot ? "ms (from one foot)" : "ms (measured, both feet)", 0},
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
    fmt::print(out, "  distance        {:.1f} m{} (sum of valid strides{}){}\n", r.spatial.distance_m,
               std::isfinite(r.spatial.distance_sd_m) ? fmt::format(" +- {:.1f} m (1 SD)", r.spatial.distance_sd_m) : "",
               r.spatial.rest_steps ? fmt::format(" and {} step{} out of rest, {:.1f} m", r.spatial.rest_steps,
                                                  r.spatial.rest_steps == 1 ? "" : "s", r.spatial.rest_steps_m)
                                    : "",
               r.spatial.saturated_strides
                   ? fmt::format("; {} strides without spatial values (sensor saturated)", r.spatial.saturated_strides)
                   : "");
  }
  for (const auto& w : r.warnings) fmt::print(out, "  note: {}\n", w);
}

void print_two_feet_summary(std::FILE* out, const std::string& label, const io::Imported& left,
                            const io::Imported& right, const TwoFeetResult& r, const ClockAlignment& clock,
                            const std::vector<Flag>& flags) {
  const auto& b = r.bilateral;
  fmt::print(out, "{} (two feet)\n", label);
  print_flags(out, flags);
  fmt::print(out, "  clock: {}{}; {} steps, {:.0f} % alternating L/R\n", clock.source,
             clock.source.starts_with("host_clock")
                 ? fmt::format(" (left +{:.3f} s, right +{:.3f} s, drift {:+.1f} ppm)", clock.left_shift_s,
                               clock.right_shift_s, (clock.right_scale - 1) * 1e6)
                 : "",
             b.steps, 100 * b.alternation_share);
  const auto metric = [&](const char* name) -> const MetricSummary* {
    for (const auto& m : b.metrics)
      if (m.name == name && m.n > 0) return &m;
    return nullptr;
  };
  if (const auto* m = metric("cadence_spm"))
    fmt::print(out, "  cadence         {:>8.1f} ± {:<6.1f} (median {:.1f}) steps/min, measured from both feet\n", m->mean,
               m->sd, m->median);
  if (const auto* m = metric("step_time_s"))
    fmt::print(out, "  step time       {:>8.3f} ± {:<6.3f} s\n", m->mean, m->sd);
  if (const auto* m = metric("flight_ms"))
    fmt::print(out, "  flight          {:>8.0f} ± {:<6.0f} (median {:.0f}) ms, measured\n", m->mean, m->sd, m->median);
  const Row rows[] = {{"gct_ms", "ground contact", "ms", 0},
                      {"flight_ms", "flight after", "ms", 0},
                      {"step_time_s", "step time", "s", 3},
                      {"peak_impact_g", "peak impact", "g", 1},
                      {"pta_g", "tibial shock", "g", 1},
                      {"pronation_excursion_deg", "pronation", "deg", 1},
                      {"pronation_velocity_dps", "pronation vel.", "deg/s", 0},
                      {"stride_length_m", "stride length", "m", 2}};
  fmt::print(out, "  {:<15} {:>8} {:>8} {:>9}   (medians of valid strides; SI = 2|L-R|/(L+R))\n", "", "left",
             "right", "SI");
  for (const auto& row : rows)
    for (const auto& s : b.symmetry)
      if (s.metric == row.name)
        fmt::print(out, "  {:<15} {:>8.{}f} {:>8.{}f} {:>9}  {}\n", row.label, s.left, row.decimals, s.right,
                   row.decimals, std::isfinite(s.si_pct) ? fmt::format("{:.1f} %", s.si_pct) : "-", row.unit);
  const auto foot = [&](const char* name, const io::Imported& imp, const SessionResult& x) {
    fmt::print(out, "  {}: {}, {:.1f} s at {:.1f} Hz, strides {} found, {} valid{}\n", name, imp.report.source,
               x.summary.duration_s, x.quality.nominal_rate_hz, x.summary.strides_total, x.summary.strides_valid,
               x.spatial.ok ? fmt::format(", distance {:.1f} m", x.spatial.distance_m) : "");
    for (const auto& w : x.warnings) fmt::print(out, "    note: {}\n", w);
  };
  foot("left ", left, r.left);
  foot("right", right, r.right);
  for (const auto& w : b.warnings) fmt::print(out, "  note: {}\n", w);
}

}  // namespace stride::session
