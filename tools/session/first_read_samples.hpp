// What the streamed analysis's first read of a file keeps for the rest of the analysis (tools/session/
// analyze_session.cpp): the samples themselves while there are at most `hold_up_to` (the file is then analysed
// whole), else, for a text file, every sample in a spool (firmware_iface/import/sample_spool.hpp) that the later
// passes replay instead of parsing the text again. Memory stays flat either way: the held samples go to the spool,
// and are freed, when the threshold is passed.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "firmware_iface/import/sample_spool.hpp"

namespace stride::session {

class FirstReadSamples {
 public:
  // `spool_dir`: where the spool goes ("" : $TMPDIR, else /tmp); `spool`: false for an input whose own replay is
  // already a copy (a .strideb), or when asked not to spool.
  FirstReadSamples(std::size_t hold_up_to, std::string spool_dir, bool spool);

  void add(std::span<const ImuSample> block);  // the first read's samples, in order

  bool holding() const { return holding_; }
  std::vector<ImuSample> take_held() { return std::move(held_); }

  // The replay the passes use: the spool's when it holds every sample, else `reread` (the file parsed again), with
  // a note in `report` saying why (once). Only once holding() is false.
  std::function<void(const io::SampleSink&)> replay(std::function<void(const io::SampleSink&)> reread,
                                                    io::ImportReport& report);

 private:
  const std::size_t hold_up_to_;
  const std::string spool_dir_;
  const bool spool_wanted_;
  bool holding_ = true;
  std::vector<ImuSample> held_;
  std::unique_ptr<io::SampleSpool> spool_;
  std::string why_not_;
};

}  // namespace stride::session
