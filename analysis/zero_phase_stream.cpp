#include "analysis/zero_phase_stream.hpp"

#include <stdexcept>

#include "analysis/biquad_steps.hpp"

namespace stride {

using namespace biquad_steps;

ZeroPhaseStream::ZeroPhaseStream(const ButterworthLowpass& design, std::size_t settle, std::size_t block)
    : design_(design), sections_(design.sections()), pad_(design.pad_length()), settle_(settle), block_(block) {
  if (block == 0) throw std::invalid_argument("ZeroPhaseStream: block must be > 0");
  state_.resize(sections_.size());
  head_.reserve(pad_ + 1);
  fwd_.reserve(settle_ + 2 * block_ + pad_ + 1);
  back_.reserve(settle_ + 2 * block_ + 2 * pad_ + 1);
}

void ZeroPhaseStream::forward(double x) {
  for (std::size_t i = 0; i < sections_.size(); ++i) x = run(sections_[i], state_[i], x);
  fwd_.push_back(x);
}

void ZeroPhaseStream::start() {
  // filtfilt's front: the odd reflection of the first pad samples about the first; as in pass(), each section starts
  // in steady state on its own first input (the previous section's first output).
  double v = 2.0 * head_[0] - head_[pad_];
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    state_[i] = steady_state(sections_[i], v);
    v = run(sections_[i], state_[i], v);
  }
  for (std::size_t i = 1; i < pad_; ++i) forward(2.0 * head_[0] - head_[pad_ - i]);
  fwd_.clear();  // the pad's own values are never emitted
  for (double x : head_) forward(x);
  started_ = true;
  head_next_ = 0;
}

void ZeroPhaseStream::push(double x, std::vector<double>& out) {
  if (!started_) {
    head_.push_back(x);
    if (head_.size() == pad_ + 1) start();
    return;
  }
  head_[head_next_] = x;  // the last pad + 1 samples, for the reflection at the end
  head_next_ = (head_next_ + 1) % head_.size();
  forward(x);
  // Every value with `settle` newer ones behind it is final: emit them all (2 blocks) per backward pass, so a value
  // costs (settle + 2 blocks) / (2 blocks) backward steps. Emitting one block a pass cost (settle + 2 blocks) / block:
  // four steps with the calibration's old 1-s blocks, 7 % of `analyze` on the hour.
  if (fwd_.size() >= settle_ + 2 * block_) backward(fwd_.size() - settle_, out);
}

void ZeroPhaseStream::backward(std::size_t emit, std::vector<double>& out) {
  // Backward from the newest forward value (steady state on it) to the oldest; the oldest `emit` are final.
  back_.assign(fwd_.rbegin(), fwd_.rend());
  pass(sections_, back_);
  for (std::size_t k = 0; k < emit; ++k) out.push_back(back_[back_.size() - 1 - k]);
  fwd_.erase(fwd_.begin(), fwd_.begin() + static_cast<std::ptrdiff_t>(emit));
}

void ZeroPhaseStream::finish(std::vector<double>& out) {
  if (!started_) {  // shorter than the pad: filtfilt itself (its pad shrinks to the data)
    if (head_.empty()) return;
    std::vector<double> y(head_.size());
    design_.filtfilt(head_, y);
    out.insert(out.end(), y.begin(), y.end());
    head_.clear();
    return;
  }
  // filtfilt's end: odd reflection of the last pad samples about the last; the backward pass starts on its end.
  const std::size_t m = head_.size();
  const auto last = [&](std::size_t k) { return head_[(head_next_ + m - 1 - k) % m]; };  // k = 0: the newest
  const std::size_t emit = fwd_.size();
  for (std::size_t i = 0; i < pad_; ++i) forward(2.0 * last(0) - last(i + 1));
  back_.assign(fwd_.rbegin(), fwd_.rend());
  pass(sections_, back_);
  for (std::size_t k = 0; k < emit; ++k) out.push_back(back_[back_.size() - 1 - k]);
  fwd_.clear();
}

}  // namespace stride
