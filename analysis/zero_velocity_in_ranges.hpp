// The zero-velocity windows FootTrajectory::zero_velocity_windows finds, for only the stances that reach into a few
// time ranges, from one pass over a recording fed block by block: what the trust view of a session read in passes
// needs (tools/session/trust_windows.hpp) without holding the recording. Each stance reached is held with pad_s of
// context either side and its |w| smoothed on its own, as StreamingSpatial does: the low-pass's memory is ~15 ms, so
// the windows are the ones the whole recording's smoothing gives (tests/test_trust_windows_streamed.cpp).
// Memory: 16 B per sample of the stances reached (a long stop is one stance, held whole as offline).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analysis/foot_trajectory.hpp"
#include "stride/gait.hpp"
#include "stride/recording.hpp"

namespace stride {

class ZeroVelocityInRanges {
 public:
  struct TimeRange {
    double from_s = 0, to_s = 0;
  };
  struct Window {  // a zero-velocity window by the times of its first and last sample
    double first_t_s = 0, last_t_s = 0;
  };

  // `events`: the session's (sample indices into the recording); `samples`: how many the recording holds.
  ZeroVelocityInRanges(const FootTrajectory& trajectory, std::span<const GaitEvent> events, std::size_t samples,
                       double rate_hz, std::span<const TimeRange> ranges, double pad_s = 0.25);

  // Every sample of the recording, in order, in blocks of any size.
  void add(std::span<const ImuSample> block);
  // The windows of the stances reached, in time order (a window need not itself overlap a range).
  std::vector<Window> windows() const;

 private:
  struct Held {
    std::size_t a = 0, b = 0;          // the stance [a, b)
    std::size_t first = 0, last = 0;   // the samples held [first, last): the search span and pad_s either side
    std::vector<double> rate, t_s;     // |w| and time of each held sample
  };

  const FootTrajectory& trajectory_;
  std::size_t n_;
  double rate_hz_;
  std::vector<Held> held_;  // by first sample
  std::size_t next_ = 0;    // index of the next sample add() sees
};

}  // namespace stride
