// `stride ports`: the serial ports there are (USB: VID:PID, description, serial number), via libserialport.
#include <fmt/format.h>

#include "tools/cli/commands.hpp"
#include "firmware_iface/transport/byte_source.hpp"

namespace stride::cli {

Action add_ports(CLI::App& app) {
  app.add_subcommand("ports", "List serial ports (USB VID:PID, description, serial number)");
  return [] {
    std::vector<transport::PortInfo> ports;
    try {
      ports = transport::list_ports();
    } catch (const transport::TransportError& e) {
      fmt::print(stderr, "stride ports: {}\n", e.what());
      return static_cast<int>(kSystemFailure);
    }
    if (ports.empty()) {
      fmt::print(stderr,
                 "stride ports: no serial ports found. Plug the board in (a charge-only cable shows nothing). "
                 "Pseudo-terminals, e.g. from ble-serial, are not listed: pass their path to --port.\n");
      return static_cast<int>(kOk);
    }
    fmt::print("{:<22} {:<10} {:<10} {:<40} {}\n", "port", "transport", "vid:pid", "description", "serial");
    for (const auto& p : ports) {
      const std::string id = p.usb_vid >= 0 ? fmt::format("{:04x}:{:04x}", p.usb_vid, p.usb_pid) : "-";
      fmt::print("{:<22} {:<10} {:<10} {:<40} {}\n", p.name, p.transport, id, p.description,
                 p.serial_number.empty() ? "-" : p.serial_number);
    }
    return static_cast<int>(kOk);
  };
}

}  // namespace stride::cli
