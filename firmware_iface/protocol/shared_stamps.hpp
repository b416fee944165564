// Rows that share one time stamp because they arrived together: a sensor that sends its samples in blocks over
// BLE, stamped once by the phone when the block arrives. MbientLab's MetaBase writes such files when it streams
// (packed accelerometer and gyroscope data: three samples a notification, all three rows with the same
// "epoc (ms)" and "elapsed (s)"; seen in the app's own test exports, recordings/reference/real_exports/metabase/).
// Dropping the repeats as duplicates would keep one sample in three: the rows are samples.
// Each block is spread evenly from its stamp to the next block's stamp. Notifications also arrive in bursts (two
// in one BLE connection event, a few ms apart, then none for 30 ms): a stamp that comes less than half the
// block's duration after the block's own (at the mean interval so far) belongs to the same burst and joins the
// block, so that the samples are spread over the connection interval, not squeezed into the few ms between two
// notifications of one event (the first 8 stamps are held to know that interval). The last block (no next
// stamp) is spread at the mean interval. What jitter is left
// io::regularise_clock evens out later, as for any phone clock. Pure, bounded memory (one burst, at most
// kMaxBlockRows rows).
#pragma once

#include <cstddef>
#include <vector>

namespace stride::io::detail {

// Row: anything with a `double t`.
template <class Row>
class SharedStampSpreader {
 public:
  // Takes the next row in file order; rows whose time is final are appended to `out`.
  void push(const Row& row, std::vector<Row>& out) {
    if (!started_) {  // the first stamps are held until they give the mean interval (bursts are told by it)
      if (warmup_.empty() || row.t != warmup_.back().t) ++warmup_stamps_;
      warmup_.push_back(row);
      if (warmup_stamps_ > kWarmupStamps || warmup_.size() >= kMaxBlockRows) start(out);
      return;
    }
    take(row, out);
  }
  // No more rows: the last block, at the mean interval.
  void finish(std::vector<Row>& out) {
    if (!started_) start(out);
    if (!block_.empty()) flush(mean_step_ * static_cast<double>(block_.size()), out);
  }
  std::size_t blocks_spread() const { return spread_; }  // blocks of more than one row
  double mean_step() const { return mean_step_; }        // stamp units a row, over the blocks spread so far

 private:
  static constexpr std::size_t kWarmupStamps = 8;
  // A longer run of one stamp is no BLE block (a stuck clock): its rows go on with their stamp, and the clock guard
  // drops the repeats. Bounds the memory whatever the file.
  static constexpr std::size_t kMaxBlockRows = 256;

  // The mean interval of the rows before the last stamp held, then those rows taken as any others.
  void start(std::vector<Row>& out) {
    started_ = true;
    std::size_t before_last = 0;
    while (before_last < warmup_.size() && warmup_[before_last].t != warmup_.back().t) ++before_last;
    const double span = warmup_.empty() ? 0.0 : warmup_.back().t - warmup_.front().t;
    if (before_last > 0 && span > 0) mean_step_ = span / static_cast<double>(before_last);
    for (const Row& r : warmup_) take(r, out);
    warmup_.clear();
  }

  void take(const Row& row, std::vector<Row>& out) {
    if (!block_.empty() && row.t != last_stamp_) {
      const double after = row.t - block_.front().t;
      const bool same_burst = after > 0 && mean_step_ > 0 &&
                              after < 0.5 * mean_step_ * static_cast<double>(block_.size());
      if (!same_burst) flush(after > 0 ? after : 0.0, out);
    }
    if (block_.size() >= kMaxBlockRows) flush(0.0, out);
    if (block_.empty()) block_t_ = row.t;
    last_stamp_ = row.t;
    block_.push_back(row);
  }

  // span: time from this block's stamp to the next one's (0: unknown or backwards, the rows keep their stamps).
  void flush(double span, std::vector<Row>& out) {
    const double step = span / static_cast<double>(block_.size());
    if (block_.size() > 1 && step > 0) ++spread_;
    for (std::size_t k = 0; k < block_.size(); ++k) {
      Row r = block_[k];
      if (step > 0) r.t = block_t_ + step * static_cast<double>(k);
      out.push_back(r);
    }
    if (step > 0) {
      if (rows_ == 0) first_t_ = block_t_;
      rows_ += block_.size();
      mean_step_ = (block_t_ + span - first_t_) / static_cast<double>(rows_);
    }
    block_.clear();
  }

  bool started_ = false;
  std::vector<Row> warmup_;  // the first rows, up to kWarmupStamps + 1 stamps
  std::size_t warmup_stamps_ = 0;
  std::vector<Row> block_;
  double block_t_ = 0.0;     // the block's (first) stamp
  double last_stamp_ = 0.0;  // the stamp of the last row taken
  double first_t_ = 0.0;     // stamp of the first block spread
  std::size_t rows_ = 0;     // rows spread since then
  double mean_step_ = 0.0;
  std::size_t spread_ = 0;
};

}  // namespace stride::io::detail
