#include "tools/session/first_read_samples.hpp"

#include <algorithm>

namespace stride::session {
namespace {

// Held samples reserved up front at most (a larger hold_up_to grows the vector beyond it).
constexpr std::size_t kMaxReservedSamples = std::size_t{1} << 20;

}  // namespace

FirstReadSamples::FirstReadSamples(std::size_t hold_up_to, std::string spool_dir, bool spool)
    : hold_up_to_(hold_up_to), spool_dir_(std::move(spool_dir)), spool_wanted_(spool) {
  // Reserved, not grown: a doubling vector holds its old and new buffers together; untouched pages cost nothing.
  held_.reserve(std::min(hold_up_to, kMaxReservedSamples));
}

void FirstReadSamples::add(std::span<const ImuSample> block) {
  if (holding_ && held_.size() + block.size() > hold_up_to_) {
    holding_ = false;
    if (spool_wanted_) spool_ = io::SampleSpool::create(spool_dir_, why_not_);
    if (spool_) spool_->append(held_);
    std::vector<ImuSample>().swap(held_);  // large: streamed; the memory goes back before the passes
  }
  if (holding_)
    held_.insert(held_.end(), block.begin(), block.end());
  else if (spool_)
    spool_->append(block);
}

std::function<void(const io::SampleSink&)> FirstReadSamples::replay(
    std::function<void(const io::SampleSink&)> reread, io::ImportReport& report) {
  if (!spool_wanted_) return reread;
  if (spool_ && spool_->finish()) {
    std::shared_ptr<const io::SampleSpool> kept = std::move(spool_);  // shared by the passes and the trust windows
    return [kept](const io::SampleSink& sink) { kept->replay(sink); };
  }
  report.notes.push_back("the samples could not be kept for the analysis's passes (" +
                         (spool_ ? spool_->failed() : why_not_) + "), so each pass read the file again");
  spool_.reset();
  return reread;
}

}  // namespace stride::session
