// data_quality: clipping, jitter, dropped samples, invalid strides, too little data. Always evaluated first; it
// decides whether the data can carry the other flags.
#include "analysis/flags/rules.hpp"

#include <algorithm>

#include "analysis/text.hpp"

namespace stride::flag_rules {

QualityVerdict data_quality_flag(const std::vector<Stride>& strides, const DataQuality& q,
                                 const SessionSummary& summary, const FlagSettings& st, std::vector<Flag>& flags) {
  std::size_t valid = 0, clipped_impacts = 0;
  double first_s = 0, last_s = 0;
  for (const auto& s : strides) {
    if (!s.valid) continue;
    if (valid == 0) first_s = s.ic_s;
    last_s = std::max(last_s, s.next_ic_s);
    ++valid;
    if (s.impact_clipped) ++clipped_impacts;
  }
  const double invalid_share = strides.empty() ? 0.0 : 1.0 - static_cast<double>(valid) / static_cast<double>(strides.size());
  const double missing_share = q.samples + q.missing_samples
                                   ? static_cast<double>(q.missing_samples) / static_cast<double>(q.samples + q.missing_samples)
                                   : 0.0;
  const double interval_ms = q.nominal_rate_hz > 0 ? 1000.0 / q.nominal_rate_hz : 0.0;
  const double clipped_share = valid ? static_cast<double>(clipped_impacts) / static_cast<double>(valid) : 0.0;
  {
    Flag f;
    f.id = "data_quality";
    f.source = "stride's own data-quality checks (FLAGS.md: makes every other flag honest)";
    std::vector<std::string> issues, evidence;
    bool unusable = false;
    // Clipping is reported by what it does, not by a count: past max_clipped_impact_share of the impacts the impact
    // rules are withheld (below it, the clipped impacts are left out of them and counted in their evidence), and
    // clipping of more than max_clipped_acc_share of all samples means the range is wrong for this placement.
    const double clipped_acc_share =
        q.samples ? static_cast<double>(q.clipped_acc_samples) / static_cast<double>(q.samples) : 0.0;
    if (clipped_share > st.max_clipped_impact_share || clipped_acc_share > st.max_clipped_acc_share) {
      issues.push_back("clipping");
      evidence.push_back(std::to_string(q.clipped_acc_samples) + " accelerometer samples at the range limit" +
                         (q.acc_limit_mps2 > 0 ? " (" + fixed(q.acc_limit_mps2 / 9.80665, 1) + " g" +
                                                     (q.acc_limit_inferred ? ", inferred from flat tops" : "") + ")"
                                               : std::string()) +
                         "; the peak impact of " + std::to_string(clipped_impacts) + " of " + std::to_string(valid) +
                         " valid strides is clipped, so those impacts are lower bounds" +
                         (clipped_share > st.max_clipped_impact_share ? " and no impact rule was evaluated"
                                                                      : " and no impact rule uses them"));
      f.values.push_back({"clipped_acc_samples", static_cast<double>(q.clipped_acc_samples)});
      f.values.push_back({"clipped_impact_strides", static_cast<double>(clipped_impacts)});
    }
    if (q.clipped_gyr_samples) {
      issues.push_back("gyroscope saturation");
      evidence.push_back(std::to_string(q.clipped_gyr_samples) +
                         " gyroscope samples at the range limit: strides touched keep their timing but lose spatial values");
      f.values.push_back({"clipped_gyr_samples", static_cast<double>(q.clipped_gyr_samples)});
    }
    if (interval_ms > 0 && q.interval_jitter_ms > st.max_jitter_share * interval_ms) {
      issues.push_back("sample-rate jitter");
      evidence.push_back("sample interval SD " + fixed(q.interval_jitter_ms, 2) + " ms = " +
                         pct(q.interval_jitter_ms / interval_ms) + " of the " + fixed(interval_ms, 2) +
                         " ms interval (rule: > " + pct(st.max_jitter_share) + ")");
      f.values.push_back({"interval_jitter_ms", q.interval_jitter_ms});
    }
    if (missing_share > st.max_missing_share) {
      issues.push_back("dropped samples");
      evidence.push_back(std::to_string(q.missing_samples) + " samples missing (" + pct(missing_share, 1) + ") in " +
                         std::to_string(q.gaps) + " gaps, longest " + fixed(q.gap_longest_s, 3) + " s (rule: > " +
                         pct(st.max_missing_share, 1) + ")");
      f.values.push_back({"missing_samples", static_cast<double>(q.missing_samples)});
      f.values.push_back({"missing_share", missing_share});
      if (missing_share > st.unusable_missing_share) unusable = true;
    }
    if (invalid_share > st.max_invalid_share) {
      issues.push_back("invalid strides");
      evidence.push_back(std::to_string(strides.size() - valid) + " of " + std::to_string(strides.size()) +
                         " strides (" + pct(invalid_share, 1) + ") without a clean IC/TC (rule: > " +
                         pct(st.max_invalid_share, 0) + ")");
      f.values.push_back({"invalid_share", invalid_share});
      if (invalid_share > st.unusable_invalid_share) unusable = true;
    }
    const bool too_little = static_cast<double>(valid) < st.min_valid_strides || summary.duration_s < st.min_duration_s;
    if (too_little) {
      issues.push_back("too little data");
      evidence.push_back(std::to_string(valid) + " valid strides over " + fixed(summary.duration_s, 0) +
                         " s: the gait flags need at least " + fixed(st.min_valid_strides, 0) + " valid strides and " +
                         fixed(st.min_duration_s, 0) + " s, so none was evaluated");
    }
    if (unusable && !too_little)
      evidence.push_back("the data cannot support the other flags: none was evaluated");
    f.values.push_back({"valid_strides", static_cast<double>(valid)});
    f.values.push_back({"duration_s", summary.duration_s});
    if (!issues.empty()) {
      f.severity = unusable ? Flag::warn : Flag::info;
      f.title = "Data quality: ";
      for (std::size_t i = 0; i < issues.size(); ++i) f.title += (i ? ", " : "") + issues[i];
      for (std::size_t i = 0; i < evidence.size(); ++i) f.evidence += (i ? "; " : "") + evidence[i];
      f.evidence += ".";
      f.strides = strides.size();
      f.from_s = first_s;
      f.to_s = last_s;
      f.rule = "clipping of > " + pct(st.max_clipped_impact_share) + " of the impacts or > " +
               pct(st.max_clipped_acc_share, 1) + " of the samples, jitter > " + pct(st.max_jitter_share) + " of the interval, dropped samples > " +
               pct(st.max_missing_share, 1) + ", invalid strides > " + pct(st.max_invalid_share) +
               "; fewer than " + fixed(st.min_valid_strides, 0) + " valid strides or " + fixed(st.min_duration_s, 0) +
               " s: no gait flag; invalid > " + pct(st.unusable_invalid_share) + " or dropped > " +
               pct(st.unusable_missing_share) + ": no gait flag";
      f.why = "Every other flag rests on these numbers; this says how far they can be trusted.";
      f.what_to_try = too_little || unusable
                          ? "Record a longer steady run (several minutes) with the sensor strapped firmly."
                          : "Check the strap and the board's range and rate settings (a 16 g range clips heel strikes; "
                            "32 g does not).";
      f.trust = "Measured directly from the samples.";
      flags.push_back(std::move(f));
    }
    return {!(too_little || unusable), clipped_impacts, clipped_share};
  }
}

}  // namespace stride::flag_rules
