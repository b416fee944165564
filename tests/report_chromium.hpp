// Headless Chromium for the report tests: open a page once, take a screenshot, dump the DOM, log the network and
// the console, with a hard time limit. Plus a PNG decoder (libpng) and the checks run on what came back.
#pragma once

#include <png.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"

namespace stride::test {

inline const char* kChromium = "/usr/bin/chromium";

inline bool chromium_available() { return ::access(kChromium, X_OK) == 0; }

struct BrowserRun {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;
  double wall_ms = 0;       // the whole browser process: start-up, load, screenshot, exit
  std::string dom;          // --dump-dom (stdout)
  std::string log;          // --enable-logging=stderr
  fs::path netlog;
};

struct BrowserPage {
  fs::path html;
  std::string fragment;     // e.g. "#width=390" (read by the report's self-check script)
  int width = 1280, height = 800;
  fs::path screenshot;      // empty: none
  double timeout_s = 60;
};

// One Chromium run in its own process group (so a hung browser and its helpers can be ended together) with a fresh
// profile. The flags keep it off the network: no background services, component updates, sync or QUIC.
inline BrowserRun run_chromium(const BrowserPage& page, const ScratchDir& dir, const std::string& tag,
                               const fs::path& print_to_pdf = {}) {
  BrowserRun r;
  const fs::path profile = dir / ("chromium-profile-" + tag);
  fs::create_directories(profile);
  r.netlog = dir / ("netlog-" + tag + ".json");
  const fs::path out = dir / ("chromium-" + tag + ".stdout"), err = dir / ("chromium-" + tag + ".stderr");
  std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                   "--disable-sync", "--disable-extensions", "--hide-scrollbars",
                                   "--user-data-dir=" + profile.string(), "--enable-logging=stderr", "--v=0",
                                   "--log-net-log=" + r.netlog.string(),
                                   "--window-size=" + std::to_string(page.width) + "," + std::to_string(page.height),
                                   "--dump-dom"};
  if (!page.screenshot.empty()) args.push_back("--screenshot=" + page.screenshot.string());
  // Printed as Chromium prints (A4 when the page's @page asks for it), without the date/URL header and footer.
  if (!print_to_pdf.empty()) {
    args.push_back("--no-pdf-header-footer");
    args.push_back("--print-to-pdf=" + print_to_pdf.string());
  }
  args.push_back("file://" + fs::absolute(page.html).string() + page.fragment);
  pid_t pid = 0;
  const auto t0 = std::chrono::steady_clock::now();
  // Its own process group: on a timeout the whole browser (it forks helpers) is killed, and nothing else.
  if (spawn_to_files(std::move(args), out, err, true, pid) != 0) return r;
  r.started = true;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() - t0 > std::chrono::duration<double>(page.timeout_s)) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);  // the browser's own process group: only what this test started
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.dom = read_text(out);
  r.log = read_text(err);
  return r;
}

// The value of a data-* attribute the self-check script wrote on <html>, or "" when absent.
inline std::string html_attribute(const std::string& dom, const std::string& name) {
  const auto tag_end = dom.find('>', dom.find("<html"));
  const std::string tag = dom.substr(0, tag_end == std::string::npos ? 0 : tag_end);
  const std::string key = " " + name + "=\"";
  const auto at = tag.find(key);
  if (at == std::string::npos) return {};
  const auto from = at + key.size();
  return tag.substr(from, tag.find('"', from) - from);
}

// Console messages Chromium logged (lines like "[...:INFO:CONSOLE:12] "message", source: ...").
inline std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> lines;
  for (const auto& line : split_lines(log))
    if (line.find(":CONSOLE") != std::string::npos) lines.push_back(line);
  return lines;
}

// Network requests the page made: every URL request to an http/https/ws/wss URL whose initiator is an origin.
// The browser's own service requests (time, updates; initiator "not an origin") are not the page's doing.
inline std::vector<std::string> page_network_requests(const fs::path& netlog) {
  std::vector<std::string> urls;
  const auto doc = nlohmann::json::parse(read_text(netlog), nullptr, false);
  if (doc.is_discarded()) return {"(the net log could not be read)"};
  int start_job = -1;
  for (const auto& [name, id] : doc["constants"]["logEventTypes"].items())
    if (name == "URL_REQUEST_START_JOB") start_job = id.get<int>();
  for (const auto& e : doc["events"]) {
    if (e.value("type", -2) != start_job || !e.contains("params")) continue;
    const auto& p = e["params"];
    const std::string url = p.value("url", ""), initiator = p.value("initiator", "");
    const bool remote = url.rfind("http:", 0) == 0 || url.rfind("https:", 0) == 0 || url.rfind("ws:", 0) == 0 ||
                        url.rfind("wss:", 0) == 0;
    if (remote && initiator != "not an origin") urls.push_back(url + " (initiator " + initiator + ")");
  }
  return urls;
}

// The pages of a PDF Chromium wrote: its page objects ("/Type /Page", not "/Type /Pages", the tree's inner nodes).
// Skia writes every object as plain text (no object streams), so counting them is exact; -1 when the file is not a PDF.
inline int pdf_page_count(const fs::path& pdf) {
  const std::string bytes = read_text(pdf);
  if (bytes.rfind("%PDF-", 0) != 0) return -1;
  static const std::regex page(R"(/Type\s*/Page(?![A-Za-z]))");
  return static_cast<int>(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), page), std::sregex_iterator()));
}

// The size of the first page (its /MediaBox, in points), to check the paper is A4 (595 x 842).
inline std::pair<double, double> pdf_first_page_size(const fs::path& pdf) {
  const std::string bytes = read_text(pdf);
  static const std::regex box(R"(/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\])");
  std::smatch m;
  if (!std::regex_search(bytes, m, box)) return {-1, -1};
  return {std::stod(m[1]), std::stod(m[2])};
}

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // 3 bytes a pixel, row after row
  bool ok() const { return width > 0 && height > 0; }
};

inline Image read_png(const fs::path& path) {
  Image img;
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) return img;
  png.format = PNG_FORMAT_RGB;
  std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, pixels.data(), 0, nullptr)) {
    png_image_free(&png);
    return img;
  }
  img.width = static_cast<int>(png.width);
  img.height = static_cast<int>(png.height);
  img.rgb = std::move(pixels);
  return img;
}

// Standard deviation of the luminance over all pixels: ~0 for a blank page.
inline double luminance_sd(const Image& img) {
  double sum = 0, sum2 = 0;
  const std::size_t n = img.rgb.size() / 3;
  for (std::size_t i = 0; i < n; ++i) {
    const double y = 0.299 * img.rgb[3 * i] + 0.587 * img.rgb[3 * i + 1] + 0.114 * img.rgb[3 * i + 2];
    sum += y;
    sum2 += y * y;
  }
  const double mean = sum / static_cast<double>(n);
  return std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - mean * mean));
}

// Pixels within `tolerance` (per channel) of a colour, and how far right the rightmost one is.
struct ColourHits {
  std::size_t count = 0;
  int max_x = -1;
};

inline ColourHits find_colour(const Image& img, int r, int g, int b, int tolerance = 6) {
  ColourHits h;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const auto* p = &img.rgb[3 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x))];
      if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance) {
        ++h.count;
        h.max_x = std::max(h.max_x, x);
      }
    }
  return h;
}

}  // namespace stride::test
