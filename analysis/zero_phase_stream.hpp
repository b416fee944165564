// ButterworthLowpass::filtfilt (analysis/butterworth.hpp) over a stream of samples, in bounded memory.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "analysis/butterworth.hpp"

namespace stride {

// ButterworthLowpass::filtfilt over a stream, in bounded memory: samples go in one at a time and their zero-phase
// values come out in order, `settle` + 2 `block` samples late at most. Why not exact: the backward pass cannot start at
// the recording's end, so each block's backward pass starts in steady state `settle` samples after the block; the
// low-pass forgets that start geometrically (for the 8 Hz calibration filter at 1 kHz, by ~1e-30 over 2 s), so the
// values equal filtfilt's to rounding. The first pad_length() + 1 and the last samples get filtfilt's own
// reflection padding, so the ends match too. Nothing is allocated per sample once warm.
class ZeroPhaseStream {
 public:
  ZeroPhaseStream(const ButterworthLowpass& design, std::size_t settle, std::size_t block);
  // One sample; appends what became final to `out`.
  void push(double x, std::vector<double>& out);
  // End of the stream: appends the rest.
  void finish(std::vector<double>& out);

 private:
  void start();                              // the reflection pad at the front, once pad + 1 samples are in
  void forward(double x);                    // one sample through the causal pass, kept in fwd_
  void backward(std::size_t emit, std::vector<double>& out);  // emits the oldest `emit` of fwd_

  ButterworthLowpass design_;
  std::vector<Biquad> sections_;
  std::size_t pad_, settle_, block_;
  std::vector<std::array<double, 2>> state_;  // the forward pass's
  std::vector<double> head_;                  // the first pad + 1 samples (until started), then the last pad + 1
  std::size_t head_next_ = 0;                 // ring position in head_ once started
  bool started_ = false;
  std::vector<double> fwd_, back_;            // forward outputs not yet emitted; backward scratch
};

}  // namespace stride
