// Enumerating serial ports with libserialport (listing only: reading goes through Boost.Asio).
#include <libserialport.h>

#include <memory>

#include "byte_source.hpp"

namespace stride::transport {

namespace {
struct PortListDeleter {
  void operator()(sp_port** p) const { sp_free_port_list(p); }
};
std::string text(const char* s) { return s ? s : ""; }
}  // namespace

std::vector<PortInfo> list_ports() {
  sp_port** raw = nullptr;
  if (sp_list_ports(&raw) != SP_OK) {
    const std::string why = text(sp_last_error_message());
    throw TransportError("listing serial ports failed: " + why);
  }
  const std::unique_ptr<sp_port*, PortListDeleter> ports(raw);
  std::vector<PortInfo> out;
  for (sp_port** p = raw; p && *p; ++p) {
    PortInfo i;
    i.name = text(sp_get_port_name(*p));
    i.description = text(sp_get_port_description(*p));
    switch (sp_get_port_transport(*p)) {
      case SP_TRANSPORT_USB:
        i.transport = "usb";
        sp_get_port_usb_vid_pid(*p, &i.usb_vid, &i.usb_pid);
        i.manufacturer = text(sp_get_port_usb_manufacturer(*p));
        i.product = text(sp_get_port_usb_product(*p));
        i.serial_number = text(sp_get_port_usb_serial(*p));
        break;
      case SP_TRANSPORT_BLUETOOTH: i.transport = "bluetooth"; break;
      default: i.transport = "native"; break;
    }
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace stride::transport
