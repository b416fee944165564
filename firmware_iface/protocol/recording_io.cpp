#include "stride/recording_io.hpp"

namespace stride::io {
Imported import_csv(std::istream&, const std::string& source_name, const ImportOptions&) {
  throw ImportError(source_name + ": import not implemented yet");
}
Imported import_file(const std::string& path, const ImportOptions&) {
  throw ImportError(path + ": import not implemented yet");
}
void write_native_header(std::ostream&, const RecordingMeta&) {}
void write_native_sample(std::ostream&, const ImuSample&) {}
void write_native(std::ostream&, const Recording&) {}
}  // namespace stride::io
