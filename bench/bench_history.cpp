// A coach's history for one athlete: 3 years of 4 runs a week (624 sessions, a third of them two feet), from the
// stored rows to the page: the weekly load, shoes, trends and load (athlete_history), its JSON, and the HTML page
// (render_history_report). No SQLite: the store's reading is the database's own speed.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "tools/history/athlete_history.hpp"
#include "tools/history/history_save.hpp"
#include "tools/report/history_report.hpp"

namespace {

std::vector<stride::history::SessionRow> three_years() {
  std::vector<stride::history::SessionRow> rows;
  const double first = *stride::history::parse_iso_day("2023-01-02T07:00");
  for (int week = 0; week < 156; ++week)
    for (int run = 0; run < 4; ++run) {
      stride::history::SessionRow r;
      r.id = static_cast<std::int64_t>(rows.size() + 1);
      r.athlete = "ana";
      r.shoe = "shoe";  // (appended: g++ 12 warns falsely on "x" + string)
      r.shoe += std::to_string(week / 20);
      r.start_day = first + week * 7 + run * 2;
      r.start_time = stride::history::date_of_day(static_cast<long>(r.start_day));
      r.start_time += "T07:00:00";
      r.distance_m = run == 3 ? 16000 : 8000 + 100 * (week % 7);
      r.duration_s = r.distance_m / 3.1;
      r.placement = "shoe";
      r.two_feet = run == 1;
      r.flags = {{"low_cadence", "info", "Low step rate", "right"}};
      for (const char* side : {"left", "right"})
        for (const auto& [metric, v] : {std::pair{"cadence_spm", 170.0}, {"gct_ms", 245.0}, {"stride_length_m", 2.3},
                                        {"peak_impact_g", 9.5}, {"speed_mps", 3.1}})
          if (r.two_feet || std::string(side) == "right") r.metrics.push_back({side, metric, 400, v, 0.05 * v, v + week % 3});
      rows.push_back(std::move(r));
    }
  return rows;
}

void BM_HistoryPage(benchmark::State& state) {
  const auto rows = three_years();
  const stride::FlagSettings settings;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto h = stride::history::athlete_history(rows, "", {}, settings);
    const auto doc = stride::history::athlete_history_json(h, settings, nlohmann::json::array());
    const std::string html = stride::report::render_history_report({doc}, {});
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
  state.counters["page_kB"] = static_cast<double>(bytes) / 1024.0;
}
BENCHMARK(BM_HistoryPage)->Unit(benchmark::kMillisecond);

void BM_HistoryCsv(benchmark::State& state) {
  const auto rows = three_years();
  for (auto _ : state) benchmark::DoNotOptimize(stride::history::sessions_csv(rows));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows.size()));
}
BENCHMARK(BM_HistoryCsv)->Unit(benchmark::kMillisecond);

}  // namespace
