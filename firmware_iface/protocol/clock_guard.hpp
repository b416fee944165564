// Which device time stamps to believe: the one rule shared by the file importer (csv_reader.cpp) and the live
// decoders (stream_decoder.cpp, text lines and binary frames). Pure, standard library only, bounded memory.
//
// A stamp is compared with the last one kept (the anchor) and with the stamps after it (held back to decide):
//  - It *continues* from the anchor when it lies ahead of it by at most `jump_steps` nominal intervals more than
//    the slots between them (text: a few lines lost), or where its sequence number puts it, within
//    `slot_tolerance` of an interval (binary frames: a sequence number pins a frame's place, it is kept). A text
//    stamp that continues is kept at once where the rate puts it (within half an interval of the slots after the
//    anchor: the steady state, no latency); it is kept when it sits a whole number of intervals after the anchor
//    (within half a one: lines were lost) and the next stamp continues from it; else the next `confirm` stamps vote (for the anchor: those behind it that
//    continue from the anchor; for it: those that continue from it, or repeat it): more for the anchor, or as many
//    and it is off that grid, and it is a glitch ahead of its neighbours: an outlier.
//  - A stamp equal to the anchor is a duplicate: dropped and counted.
//  - Any other stamp is a *jump*. Far ahead, it is a gap (samples were lost, or the stream is irregular) when
//    the next `confirm` stamps go on from it, each ahead of the one before and all but one continuing from it
//    (another gap may follow); else an outlier (a corrupt stamp: the stream comes back behind it, or the stamps
//    after it are corrupt too).
//    Backwards, it needs evidence: each of the next `confirm` stamps continues from it (and, if from the anchor
//    too, fits it better by a quarter interval, in whole intervals), and it goes back by at least
//    `min_restart_steps` intervals or, with sequence numbers, the number went back too: then it is a restart (the
//    board restarted; the caller re-anchors the time axis). Else it is an outlier: a shorter step back is the
//    stream coming back behind a stamp kept too far ahead. A next stamp that continues from the anchor and not
//    from the jump is enough to call it an outlier. Outliers are dropped and counted; they never move the time
//    axis. The first stamp (of the stream, or after a break) is an outlier when most of the next ones lie behind it.
//  - The nominal interval is the median of the last 15 kept steps; until there are 15, the median of the kept and
//    held steps once there are 5, else the declared one (and without one, nothing is decided with fewer than
//    `confirm` successors); unknown (no stamp yet has a successor), every forward step continues.
//  - `window` outliers in a row mean the anchor or the rate is wrong (a board that changed its rate): the rule
//    starts afresh, as at the start of the stream, and forgets the declared interval.
//  - A counter that wraps (`wrap` > 0, e.g. 2^32 for a 32-bit microsecond counter) is unwrapped: between two
//    integer stamps in [0, wrap) the difference is taken modulo wrap, in [-wrap/2, wrap/2).
// At most `window` stamps are held; when full, the oldest is decided with what is there. In the steady state no
// stamp waits.
//
// Sequence numbers (binary frames) are put back in order first, within a small window (SequenceReorder below);
// implausible frame periods are refused (PeriodCheck).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stride::io::detail {

struct ClockGuardSettings {
  std::size_t confirm = 3;        // stamps after a jump that must all continue from it to believe it
  std::size_t window = 16;        // stamps held back at most (>= confirm + 1)
  double jump_steps = 10.0;       // text: a step forward by more than this many intervals beyond the slots is a jump
  double min_restart_steps = 100; // a restart goes back by at least this many intervals (or, sequenced, the
                                  // sequence number goes back too); a shorter step back is not believed
  double wrap = 0.0;              // modulus of a wrapping counter, in stamp units (0 = none)
  bool sequenced = false;         // slots are sequence numbers: a stamp must sit where its slot says
  double slot_tolerance = 0.5;    // sequenced: allowed error in intervals (plus 10 % of the distance, for drift)
};

enum class Verdict : std::uint8_t {
  keep,       // continues from the last kept stamp
  gap,        // a jump forward, confirmed: samples were lost
  restart,    // a jump backwards (or the sequence went back), confirmed: the device restarted
  outlier,    // disagrees with its neighbours and the rate: dropped
  duplicate,  // repeats the last kept stamp exactly: dropped
};
std::string_view to_string(Verdict v);

// The decision, without payloads (ClockGuard<T> below carries them).
class ClockRule {
 public:
  struct Stamp {
    double raw = 0.0;   // as the device gave it (stamp units)
    double slot = 0.0;  // position in the stream: a row count, or the unwrapped sequence number
  };
  struct Decision {
    Verdict verdict = Verdict::keep;
    double t = 0.0;           // keep / gap / restart: the stamp unwrapped (stamp units, the first stamp's origin)
    double anchor = 0.0;      // the last kept stamp (raw) when there was one; NaN otherwise
    double next = 0.0;        // the stamp after it (raw); NaN when there was none
  };

  // Throws std::invalid_argument naming the field when a setting is out of range.
  explicit ClockRule(ClockGuardSettings settings = {});

  void push(Stamp s);                               // holds a stamp (call decide() after each)
  // Decides the oldest held stamp and drops it from the held ones; nullopt when it needs more successors (final
  // = no more are coming: decide with what is there) or nothing is held.
  std::optional<Decision> decide(bool final);
  std::size_t held() const { return size_; }

  void set_nominal_step(double step) { nominal_ = step > 0 ? step : 0.0; }  // per slot, stamp units; 0 = unknown
  double step() const;                              // the interval per slot in use (0 = unknown)
  // After a break in the link (a reconnect): the next stamp is judged afresh, as at the start (unwrapping goes on).
  void forget_anchor() { anchored_ = false; }
  const ClockGuardSettings& settings() const { return s_; }
  // Times `window` outliers in a row made the rule start afresh (forget the anchor and the rate).
  std::uint64_t fresh_starts() const { return resets_; }

 private:
  const Stamp& at(std::size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  double diff(double a, double b) const;            // b - a, unwrapped
  bool continues(const Stamp& a, const Stamp& b) const;
  double error(const Stamp& a, const Stamp& b) const;  // how far b - a is from a whole number of steps
  Decision take(Verdict v);                         // pops the oldest; updates the anchor when it is kept
  double held_step(std::size_t at_least) const;  // median of kept and held steps, 0 with fewer than at_least

  ClockGuardSettings s_;
  std::vector<Stamp> ring_;
  std::size_t head_ = 0, size_ = 0;
  bool anchored_ = false;   // anchor_ is the last kept stamp of this stretch
  bool ever_ = false;       // a stamp was ever kept (unwrapping continues from anchor_)
  Stamp anchor_;
  double anchor_t_ = 0.0;   // anchor_ unwrapped
  double nominal_ = 0.0;
  static constexpr std::size_t kStepHistory = 15;  // kept steps the interval is the median of
  std::vector<double> steps_;  // recent kept steps per slot (ring)
  std::array<double, kStepHistory> scratch_{};
  std::size_t steps_at_ = 0;
  double median_ = 0.0;
  std::size_t outlier_run_ = 0;
  std::uint64_t resets_ = 0;
};

// ClockRule with a payload per stamp (a row, a frame), handed back with its verdict.
template <class T>
class ClockGuard {
 public:
  struct Out {
    T item;
    ClockRule::Decision d;
  };
  explicit ClockGuard(ClockGuardSettings settings = {}) : rule_(settings), items_(settings.window + 1) {}

  void push(double raw, double slot, T item) {
    rule_.push({raw, slot});
    items_[(head_ + size_++) % items_.size()] = std::move(item);
  }
  // The oldest held item once decided (see ClockRule::decide); false when it is not yet or nothing is held.
  bool pop(Out& out, bool final = false) {
    const auto d = rule_.decide(final);
    if (!d) return false;
    out.item = std::move(items_[head_]);
    out.d = *d;
    head_ = (head_ + 1) % items_.size();
    --size_;
    return true;
  }
  std::size_t held() const { return size_; }
  ClockRule& rule() { return rule_; }
  const ClockRule& rule() const { return rule_; }

 private:
  ClockRule rule_;
  std::vector<T> items_;
  std::size_t head_ = 0, size_ = 0;
};

// Puts frames back in sequence-number order (u16, wrapping), within a window: a frame that arrives early waits
// for the ones before it until `window` frames wait, then the missing ones are given up (lost). A frame whose
// number was passed by at most 4 windows is a duplicate (same number and key as one of the last `window`
// released) or late (dropped: the frames after it are out). A jump by more than 4 windows either way is a new
// sequence (a long loss, or the board restarted): what waits is released and the
// sequence starts again there. (A board that restarts within 4 windows of its start loses the frames until its
// numbers catch up.) At the start, the first `window` frames wait so that they may arrive out of order too.
template <class T>
class SequenceReorder {
 public:
  enum class Arrival : std::uint8_t { released, held, duplicate, late };
  struct Counts {
    std::uint64_t reordered = 0;  // frames that arrived before one with a lower number, put back in order
    std::uint64_t duplicates = 0;
    std::uint64_t late = 0;
    std::uint64_t given_up = 0;   // numbers skipped after waiting (lost, or arriving later than the window)
  };

  explicit SequenceReorder(std::size_t window = 8) : window_(window < 1 ? 1 : window) {}

  // key: something that tells a repeated frame from another with the same number (its first time stamp).
  // Appends the frames now in order, with their numbers, to out.
  Arrival push(std::uint16_t seq, std::uint64_t key, T item, std::vector<std::pair<std::uint16_t, T>>& out) {
    for (const auto& h : held_)
      if (h.seq == seq) return ++counts_.duplicates, Arrival::duplicate;
    if (!started_) {
      held_.push_back({seq, key, std::move(item)});
      if (held_.size() >= window_) start(out);
      return Arrival::held;
    }
    const auto d = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - next_));
    if (d < 0 && -d <= 4 * static_cast<int>(window_)) {
      for (const auto& r : recent_)
        if (r.first == seq && r.second == key) return ++counts_.duplicates, Arrival::duplicate;
      return ++counts_.late, Arrival::late;
    }
    if (d < 0 || d > 4 * static_cast<int>(window_)) {  // a new sequence
      flush(out);
      next_ = seq;
    }
    if (seq != next_) {
      held_.push_back({seq, key, std::move(item)});
      if (held_.size() >= window_) give_up(out);
      return Arrival::held;
    }
    if (!held_.empty()) ++counts_.reordered;
    release(seq, key, std::move(item), out);
    drain(out);
    return Arrival::released;
  }

  // Releases everything held, in order (the end of the stream, or a break in the link).
  void flush(std::vector<std::pair<std::uint16_t, T>>& out) {
    if (!started_ && !held_.empty()) start(out);
    while (!held_.empty()) give_up(out);
  }
  const Counts& counts() const { return counts_; }

 private:
  struct Held {
    std::uint16_t seq;
    std::uint64_t key;
    T item;
  };
  // The lowest number held, by wrapping distance from `from`.
  std::size_t lowest(std::uint16_t from) const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < held_.size(); ++i)
      if (static_cast<std::uint16_t>(held_[i].seq - from) < static_cast<std::uint16_t>(held_[best].seq - from))
        best = i;
    return best;
  }
  void start(std::vector<std::pair<std::uint16_t, T>>& out) {
    started_ = true;
    // The first number: the one the others are shortly ahead of.
    std::uint16_t first = held_[0].seq;
    for (const auto& h : held_) {
      const auto d = static_cast<std::int16_t>(static_cast<std::uint16_t>(h.seq - first));
      if (d < 0 && -d < static_cast<int>(window_)) first = h.seq;
    }
    next_ = first;
    for (std::size_t i = 0; i < held_.size(); ++i)  // arrived after a frame with a higher number
      for (std::size_t j = 0; j < i; ++j)
        if (static_cast<std::uint16_t>(held_[j].seq - first) > static_cast<std::uint16_t>(held_[i].seq - first)) {
          ++counts_.reordered;
          break;
        }
    drain(out);
  }
  void give_up(std::vector<std::pair<std::uint16_t, T>>& out) {
    const std::size_t i = lowest(next_);
    counts_.given_up += static_cast<std::uint16_t>(held_[i].seq - next_);
    next_ = held_[i].seq;
    drain(out);
  }
  void drain(std::vector<std::pair<std::uint16_t, T>>& out) {
    for (bool found = true; found;) {
      found = false;
      for (std::size_t i = 0; i < held_.size(); ++i) {
        if (held_[i].seq != next_) continue;
        Held h = std::move(held_[i]);
        held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
        release(h.seq, h.key, std::move(h.item), out);
        found = true;
        break;
      }
    }
  }
  void release(std::uint16_t seq, std::uint64_t key, T item, std::vector<std::pair<std::uint16_t, T>>& out) {
    out.emplace_back(seq, std::move(item));
    next_ = static_cast<std::uint16_t>(seq + 1);
    if (recent_.size() >= window_) recent_.erase(recent_.begin());
    recent_.emplace_back(seq, key);
  }

  std::size_t window_;
  bool started_ = false;
  std::uint16_t next_ = 0;
  std::vector<Held> held_;
  std::vector<std::pair<std::uint16_t, std::uint64_t>> recent_;  // the last `window` released: number, key
  Counts counts_;
};

// Frame periods: plausible between min_s and max_s, and, once a stream has one, within `tolerance` of it (the
// declared rate, or the period of the frames kept so far); a new period is taken after `confirm` frames in a row
// agree on it (a board reconfigured), the frames before that are refused.
class PeriodCheck {
 public:
  struct Settings {
    double min_s = 1e-5;      // 100 kHz
    double max_s = 1.0;       // 1 Hz
    double tolerance = 0.25;  // relative
    std::size_t confirm = 3;
  };
  PeriodCheck() : PeriodCheck(Settings{}) {}
  explicit PeriodCheck(Settings s) : s_(s) {}
  // Empty when the period is accepted, else why not ("period 4294967295 ns (0.23 Hz) is outside 10 us..1 s").
  std::string check(double period_s);
  void declare(double period_s) { if (period_s > 0) established_ = period_s; }  // from the device's own info
  double established() const { return established_; }

 private:
  Settings s_;
  double established_ = 0.0;
  double candidate_ = 0.0;
  std::size_t agree_ = 0;
};

}  // namespace stride::io::detail
