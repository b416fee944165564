#include "tools/session/session_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <fstream>

#include "firmware_iface/import/content_hash.hpp"
#include "stride/utf8.hpp"
#include "tools/document/session_document.hpp"
#include "tools/session/flag_settings_json.hpp"

namespace stride::session {
namespace {

using nlohmann::json;

json settings_json(const PipelineSettings& s) {
  return {
      {"calibration",
       {{"rest_window_s", s.calibration.rest_window_s},
        {"rest_gyr_dev_rad_s", s.calibration.rest_gyr_dev_rad_s},
        {"rest_acc_std_mps2", s.calibration.rest_acc_std_mps2},
        {"min_rest_for_bias_s", s.calibration.min_rest_for_bias_s},
        {"moving_gyr_rad_s", s.calibration.moving_gyr_rad_s}}},
      {"events",
       {{"detector", "impact_pitch"},
        {"ic_convention",
         s.events.ic_feature == ImpactPitchDetector::IcFeature::dorsiflexion_end ? "kinematic" : "force"},
        {"midswing_lowpass_hz", s.events.midswing_lowpass_hz},
        {"stance_lowpass_hz", s.events.stance_lowpass_hz},
        {"midswing_min_rate_rad_s", s.events.midswing_min_rate_rad_s},
        {"midswing_relative", s.events.midswing_relative},
        {"midswing_min_acc_span_mps2", s.events.midswing_min_acc_span_mps2},
        {"midswing_motion_window_s", s.events.midswing_motion_window_s},
        {"min_cycle_s", s.events.min_cycle_s},
        {"max_cycle_s", s.events.max_cycle_s},
        {"ic_window_share", s.events.ic_window_share},
        {"ic_first_jump_share", s.events.ic_first_jump_share},
        {"tc_window_share", s.events.tc_window_share}}},
      {"strides",
       {{"min_stride_s", s.strides.min_stride_s},
        {"max_stride_s", s.strides.max_stride_s},
        {"min_duty", s.strides.min_duty},
        {"max_duty", s.strides.max_duty},
        {"max_deviation", s.strides.max_deviation},
        {"impact_window_s", s.strides.impact_window_s},
        {"max_gap_s", s.strides.max_gap_s},
        {"max_rest_s", s.strides.max_rest_s},
        {"rest_window_s", s.strides.rest_window_s},
        {"rest_gyr_sd_rad_s", s.strides.rest_gyr_sd_rad_s},
        {"rest_acc_sd_mps2", s.strides.rest_acc_sd_mps2}}},
      {"plausibility",
       {{"max_stride_length_m", s.plausibility.max_stride_length_m},
        {"max_speed_mps", s.plausibility.max_speed_mps},
        {"walking_stride_s", s.plausibility.walking_stride_s},
        {"max_walking_stride_length_m", s.plausibility.max_walking_stride_length_m},
        {"max_clearance_m", s.plausibility.max_clearance_m},
        {"min_clearance_m", s.plausibility.min_clearance_m},
        {"max_turn_rate_dps", s.plausibility.max_turn_rate_dps},
        {"max_neighbour_ratio", s.plausibility.max_neighbour_ratio},
        {"neighbours", s.plausibility.neighbours},
        {"min_neighbours", s.plausibility.min_neighbours}}},
      {"trajectory",
       {{"filter", "ZUPT error-state Kalman filter (15 states), Bryson-Frazier/RTS smoothing per swing"},
        {"smooth", s.trajectory.smooth},
        {"zv_min_window_s", s.trajectory.zv_min_window_s},
        {"zv_margin_rad_s", s.trajectory.zv_margin_rad_s},
        {"zv_relative", s.trajectory.zv_relative},
        {"zv_lever_m", s.trajectory.zv_lever_m},
        {"zv_sd_mps", s.trajectory.zv_sd_mps},
        {"zv_sd_per_rad_s", s.trajectory.zv_sd_per_rad_s},
        {"rest_rad_s", s.trajectory.rest_rad_s},
        {"rest_min_s", s.trajectory.rest_min_s},
        {"impact_velocity_sd_mps", s.trajectory.impact_velocity_sd_mps},
        {"acc_noise_mps2", s.trajectory.filter.acc_noise_mps2},
        {"gyr_noise_rad_s", s.trajectory.filter.gyr_noise_rad_s}}},
  };
}

json meta_json(const RecordingMeta& m) {
  json j = {{"board", m.board},           {"sensor", m.sensor},         {"placement", to_string(m.placement)},
            {"side", to_string(m.side)},  {"rate_hz", m.rate_hz},       {"acc_range_g", m.acc_range_g},
            {"gyr_range_dps", m.gyr_range_dps}, {"athlete", m.athlete}, {"shoe", m.shoe},
            {"start_time", m.start_time}};
  for (const auto& [k, v] : m.extra) j["extra"][k] = v;
  return j;
}

json import_json(const io::ImportReport& r) {
  json issues = json::array();
  for (const auto& i : r.issues) issues.push_back({{"line", i.line}, {"what", i.what}});
  json out = {{"format", r.format},
          {"delimiter", std::string(1, r.delimiter)},
          {"time_unit", r.time_unit},
          {"acc_unit", r.acc_unit},
          {"acc_unit_reason", r.acc_unit_reason},
          {"gyr_unit", r.gyr_unit},
          {"gyr_unit_reason", r.gyr_unit_reason},
          {"lines", r.lines},
          {"samples", r.samples},
          {"skipped_lines", r.skipped},
          {"duplicate_stamps", r.duplicate_stamps},
          {"clock_restarts", r.clock_restarts},
          {"issues", issues},
          {"ignored_columns", r.ignored_columns}};
  // Presets (firmware_iface/import/) say why they were chosen; the built-in layouts' documents are unchanged.
  if (!r.format_reason.empty()) out["format_reason"] = r.format_reason;
  if (r.encoding != "UTF-8") out["encoding"] = r.encoding;
  if (r.banner_lines > 0) out["banner_lines"] = r.banner_lines;
  if (!r.notes.empty()) out["notes"] = r.notes;  // what import_input did: a join, a resampled clock
  return out;
}

json quality_json(const DataQuality& q, const std::vector<Gap>& gaps) {
  json g = json::array();
  for (const auto& x : gaps) g.push_back({{"start_s", x.start_s}, {"end_s", x.end_s}, {"missing_samples", x.missing_samples}});
  return {{"samples", q.samples},
          {"nominal_rate_hz", q.nominal_rate_hz},
          {"declared_rate_hz", q.declared_rate_hz},
          {"interval_jitter_ms", q.interval_jitter_ms},
          {"max_interval_ms", q.max_interval_ms},
          {"gap_count", q.gaps},
          {"missing_samples", q.missing_samples},
          {"gap_total_s", q.gap_total_s},
          {"gap_longest_s", q.gap_longest_s},
          {"clipped_acc_samples", q.clipped_acc_samples},
          {"clipped_gyr_samples", q.clipped_gyr_samples},
          {"gaps", g}};
}

json mounting_json(const MountingCalibration::Result& m) {
  json rows = json::array();
  for (int r = 0; r < 3; ++r) rows.push_back({m.segment_from_sensor(r, 0), m.segment_from_sensor(r, 1), m.segment_from_sensor(r, 2)});
  return {{"ok", m.ok},
          {"segment_from_sensor", rows},
          {"gyr_bias_rad_s", {m.gyr_bias_rad_s.x(), m.gyr_bias_rad_s.y(), m.gyr_bias_rad_s.z()}},
          {"gravity_mps2", m.gravity_mps2},
          {"rest_s", m.rest_s},
          {"bias_from_rest", m.bias_from_rest},
          {"pitch_share", m.pitch_share},
          {"pitch_sign_vote", m.sign_vote},
          {"pitch_axis_tilt_deg", m.pitch_axis_tilt_deg},
          {"message", m.message}};
}


json spatial_json(const SpatialResult& r, const std::vector<Stride>& strides) {
  json patterns = {{"rearfoot", 0}, {"midfoot", 0}, {"forefoot", 0}};
  for (const auto& s : strides)
    if (s.valid && s.strike_pattern != StrikePattern::unknown)
      patterns[std::string(to_string(s.strike_pattern))] = patterns[std::string(to_string(s.strike_pattern))].get<int>() + 1;
  return {{"ok", r.ok},
          {"distance_m", r.distance_m},
          {"distance_sd_m", r.distance_sd_m},  // NaN (no trajectory): null
          {"loop_closure_m", r.loop_closure_m},
          {"zero_velocity_windows", r.zero_velocity_windows},
          {"saturated_strides", r.saturated_strides},
          {"rebuilt_strides", r.rebuilt_strides},
          {"distance_estimated_m", r.distance_estimated_m},
          {"estimated_strides", r.estimated_strides},
          {"rest_steps", r.rest_steps},
          {"rest_steps_m", r.rest_steps_m},
          {"strike_patterns", patterns}};
}

json metric_json(const MetricSummary& m) {
  return {{"n", m.n}, {"mean", m.mean}, {"sd", m.sd}, {"median", m.median}, {"min", m.min}, {"max", m.max}};
}

json summary_json(const SessionSummary& s) {
  json metrics = json::object();
  for (const auto& m : s.metrics)
    metrics[m.name] = metric_json(m);
  return {{"duration_s", s.duration_s},
          {"strides_total", s.strides_total},
          {"strides_valid", s.strides_valid},
          {"cadence_from_one_foot", s.one_foot},
          {"metrics", metrics}};
}

json tool_json() { return {{"name", "stride"}, {"version", STRIDE_VERSION}}; }

}  // namespace

json stride_json(const Stride& s) {
  return {{"foot", to_string(s.foot)},
          {"ic_s", s.ic_s},
          {"ic_sd_ms", s.ic_sd_ms},  // one SD; null when the detector states none
          {"tc_s", s.tc_s},
          {"tc_sd_ms", s.tc_sd_ms},
          {"next_ic_s", s.next_ic_s},
          {"stride_time_s", s.stride_time_s},
          {"gct_ms", s.gct_ms},
          {"swing_ms", s.swing_ms},
          {"flight_ms", s.flight_ms},
          {"flight_from_one_foot", s.flight_from_one_foot},
          {"duty_factor", s.duty_factor},
          {"cadence_spm", s.cadence_spm},
          {"peak_impact_g", s.peak_impact_g},
          {"impact_clipped", s.impact_clipped},
          {"valid", s.valid},
          {"invalid_reason", s.invalid_reason()},
          {"invalid_codes", s.invalid_codes()},
          {"stride_length_m", s.stride_length_m},  // NaN is written as null: not measured
          {"length_sd_m", s.length_sd_m},
          {"speed_mps", s.speed_mps},
          {"fsa_deg", s.fsa_deg},
          {"strike_pattern", to_string(s.strike_pattern)},
          {"toe_off_angle_deg", s.toe_off_angle_deg},
          {"pronation_excursion_deg", s.pronation_excursion_deg},
          {"pronation_velocity_dps", s.pronation_velocity_dps},
          {"max_clearance_m", s.max_clearance_m},
          {"turning_angle_deg", s.turning_angle_deg},
          {"pos_x_m", s.pos_x_m},
          {"pos_y_m", s.pos_y_m},
          {"spatial_issue", s.spatial_issue()},
          {"pta_g", s.pta_g},
          {"pta_rise_g_per_s", s.pta_rise_g_per_s},
          {"shank_angle_ic_deg", s.shank_angle_ic_deg}};
}

json foot_without_strides_json(const SessionInput& in) {
  json settings = settings_json(*in.settings);
  if (in.flag_settings) settings["flags"] = flag_settings_json(*in.flag_settings);
  json doc = {{"tool", tool_json()},
          {"input", {{"file", in.path}, {"fnv1a64", in.content_hash}}},
          {"settings", settings},
          {"metadata", meta_json(in.imported->recording.meta)},
          {"import", import_json(in.imported->report)},
          {"data_quality", quality_json(in.result->quality, in.imported->recording.gaps)},
          {"mounting", mounting_json(in.result->mounting)},
          {"summary", summary_json(in.result->summary)},
          {"spatial", spatial_json(in.result->spatial, in.result->strides)},
          {"strides", json::array()},  // StreamedDocument holds them (docs/session-json.md)
          {"warnings", in.result->warnings}};
  if (!in.result->has_gyro) {  // accelerometer only: say why the spatial values and angles are null
    doc["gyroscope"] = {{"present", false},
                        {"reason", in.result->no_gyro_reason},
                        {"import", in.imported->report.gyr_unit_reason},
                        {"events_from", in.result->acc_only_events_from}};
    const auto& a = in.settings->acc_only_events;
    doc["settings"]["acc_only_events"] = {
        {"quiet_window_s", a.quiet_window_s},       {"quiet_acc_sd_mps2", a.quiet_acc_sd_mps2},
        {"quiet_norm_dev_mps2", a.quiet_norm_dev_mps2}, {"min_quiet_s", a.min_quiet_s},
        {"merge_gap_s", a.merge_gap_s},             {"min_cycle_s", a.min_cycle_s},
        {"max_cycle_s", a.max_cycle_s},             {"ic_first_jump_share", a.ic_first_jump_share},
        {"ic_after_quiet_s", a.ic_after_quiet_s},   {"min_impact_share", a.min_impact_share},
        {"min_quiet_share", a.min_quiet_share},     {"weak_impact_share", a.weak_impact_share},
        {"tc_search_s", a.tc_search_s},             {"tc_min_depth_mps2", a.tc_min_depth_mps2}};
    const auto& b = in.settings->acc_only_impacts;
    doc["settings"]["acc_only_impacts"] = {
        {"block_s", b.block_s},                     {"bin_s", b.bin_s},
        {"min_cycle_s", b.min_cycle_s},             {"max_cycle_s", b.max_cycle_s},
        {"min_periodicity", b.min_periodicity},     {"near_best_share", b.near_best_share},
        {"separation_share", b.separation_share},   {"min_impact_share", b.min_impact_share},
        {"ic_first_jump_share", b.ic_first_jump_share}, {"ic_lookback_s", b.ic_lookback_s},
        {"tc_skip_s", b.tc_skip_s},                 {"tc_max_share", b.tc_max_share},
        {"tc_surge_share", b.tc_surge_share},
        {"tc_min_depth_mps2", b.tc_min_depth_mps2}};
  }
  return doc;
}

json session_flags_json(const std::vector<Flag>& flags) {
  json out = flags_json(flags);
  for (auto& f : out)  // a flag names the foot it is about as "feet" does: an undeclared side is "unknown"
    if (f["side"] == "") f["side"] = "unknown";
  return out;
}

namespace {

// Every session document, one sensor or two feet: the schema, the tool, the feet by side, what both feet give
// together (null for one sensor) and the flags, each naming its side (docs/session-json.md).
json envelope(json feet, json bilateral, const std::vector<Flag>* flags) {
  return {{"schema", document::kSchema},
          {"tool", tool_json()},
          {"feet", std::move(feet)},
          {"bilateral", std::move(bilateral)},
          {"flags", flags ? session_flags_json(*flags) : json::array()}};
}

}  // namespace

nlohmann::json session_without_strides_json(const SessionInput& in) {
  const std::string key = document::foot_key(std::string(to_string(in.imported->recording.meta.side)));
  return envelope({{key, foot_without_strides_json(in)}}, nullptr, in.flags);
}

nlohmann::json two_feet_session_without_strides_json(const TwoFeetInput& in) {
  json feet = {{"left", foot_without_strides_json(in.left)}, {"right", foot_without_strides_json(in.right)}};
  const BilateralResult& b = *in.bilateral;
  json metrics = json::object();
  for (const auto& m : b.metrics)
    metrics[m.name] = metric_json(m);
  json symmetry = json::object();
  for (const auto& r : b.symmetry)
    symmetry[r.metric] = {{"left", r.left}, {"right", r.right}, {"si_pct", r.si_pct}, {"n_left", r.n_left},
                          {"n_right", r.n_right}};
  json bilateral = {{"clock",
                     {{"source", in.clock->source},
                      {"left_shift_s", in.clock->left_shift_s},
                      {"right_shift_s", in.clock->right_shift_s},
                      {"right_scale", in.clock->right_scale},
                      {"drift_ppm", (in.clock->right_scale - 1.0) * 1e6}}},
                    {"steps", b.steps},
                    {"alternation_share", b.alternation_share},
                    {"right_phase", b.right_phase},
                    {"metrics", metrics},
                    {"symmetry", symmetry},
                    {"warnings", b.warnings}};
  return envelope(std::move(feet), std::move(bilateral), in.flags);
}

void write_stride_csv_header(std::ostream& out) {
  out << "file,foot,ic_s,tc_s,next_ic_s,stride_time_s,gct_ms,swing_ms,flight_ms,duty_factor,cadence_spm,"
         "peak_impact_g,impact_clipped,valid,invalid_reason,stride_length_m,speed_mps,fsa_deg,strike_pattern,"
         "toe_off_angle_deg,pronation_excursion_deg,pronation_velocity_dps,max_clearance_m,turning_angle_deg,pos_x_m,"
         "pos_y_m,spatial_issue,pta_g,pta_rise_g_per_s,shank_angle_ic_deg,"
         "ic_sd_ms,tc_sd_ms,length_sd_m\n";  // the same columns for every placement; new ones go last
}

void write_stride_csv_rows(std::ostream& out, const std::string& file, const std::vector<Stride>& strides) {
  for (const auto& s : strides) {
    std::string reason = s.invalid_reason();
    for (char& c : reason)
      if (c == '"') c = '\'';
    // Not measured: an empty cell (spreadsheets read it as missing, not as zero).
    const auto num = [](double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string(); };
    out << fmt::format("\"{}\",{},{:.5f},{},{:.5f},{:.5f},{},{},{},{},{:.2f},{},{},{},\"{}\",",
                       file, to_string(s.foot), s.ic_s, num(s.tc_s, 5), s.next_ic_s, s.stride_time_s, num(s.gct_ms, 1),
                       num(s.swing_ms, 1), num(s.flight_ms, 1), num(s.duty_factor, 4), s.cadence_spm,
                       num(s.peak_impact_g, 3), s.impact_clipped ? 1 : 0, s.valid ? 1 : 0, reason);
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},\"{}\",", num(s.stride_length_m, 4), num(s.speed_mps, 3),
                       num(s.fsa_deg, 2), to_string(s.strike_pattern), num(s.toe_off_angle_deg, 2),
                       num(s.pronation_excursion_deg, 2), num(s.pronation_velocity_dps, 1), num(s.max_clearance_m, 3),
                       num(s.turning_angle_deg, 2), num(s.pos_x_m, 3), num(s.pos_y_m, 3), s.spatial_issue());
    out << fmt::format("{},{},{},", num(s.pta_g, 3), num(s.pta_rise_g_per_s, 1), num(s.shank_angle_ic_deg, 2));
    out << fmt::format("{},{},{}\n", num(s.ic_sd_ms, 2), num(s.tc_sd_ms, 2), num(s.length_sd_m, 4));
  }
}

std::string hash_files(const std::vector<std::string>& paths) {
  io::Fnv1a64 h;
  std::vector<char> buf(1 << 16);
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  return h.hex();
}

std::string input_hash(const io::Imported& imported, const std::vector<std::string>& paths) {
  if (imported.report.fnv1a64) return io::Fnv1a64{*imported.report.fnv1a64}.hex();
  return hash_files(imported.report.files.empty() ? paths : imported.report.files);
}

std::string hash_file(const std::string& path) { return hash_files({path}); }

void make_valid_utf8(nlohmann::json& doc) {
  if (doc.is_string()) {
    auto& text = doc.get_ref<std::string&>();
    if (!utf8::is_valid(text)) text = utf8::to_valid(text);
  } else if (doc.is_array()) {
    for (auto& v : doc) make_valid_utf8(v);
  } else if (doc.is_object()) {
    bool keys_valid = true;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      keys_valid = keys_valid && utf8::is_valid(it.key());
      make_valid_utf8(it.value());
    }
    if (!keys_valid) {  // rebuild: keys cannot be changed in place
      nlohmann::json fixed = nlohmann::json::object();
      for (auto it = doc.begin(); it != doc.end(); ++it) fixed[utf8::to_valid(it.key())] = std::move(it.value());
      doc = std::move(fixed);
    }
  }
}

}  // namespace stride::session
