#include "ndpi_module.h"

#include <mutex>
#include <stdexcept>

extern "C" {
#include <ndpi/ndpi_api.h>
}

namespace netifyd {
namespace {
// nDPI's initialisation touches process-wide tables; modules are created one at a time.
std::mutex g_init_mutex;
}  // namespace

NdpiModule::NdpiModule() {
  std::lock_guard<std::mutex> lock(g_init_mutex);
  if (ndpi_detection_get_sizeof_ndpi_flow_struct() != sizeof(struct ndpi_flow_struct))
    throw std::runtime_error("nDPI headers do not match the linked nDPI library");
  mod_ = ndpi_init_detection_module(ndpi_no_prefs);
  if (!mod_) throw std::runtime_error("nDPI detection module could not be initialised");
  NDPI_PROTOCOL_BITMASK all;
  NDPI_BITMASK_SET_ALL(all);
  ndpi_set_protocol_detection_bitmask2(mod_, &all);
  ndpi_finalize_initialization(mod_);
}

NdpiModule::~NdpiModule() { release(); }

void NdpiModule::release() {
  if (!mod_) return;
  std::lock_guard<std::mutex> lock(g_init_mutex);
  ndpi_exit_detection_module(mod_);
  mod_ = nullptr;
}

std::vector<ProtocolInfo> ndpi_protocol_table() {
  NdpiModule module;
  ndpi_detection_module_struct* mod = module.get();
  std::vector<ProtocolInfo> out;
  const u_int count = ndpi_get_num_supported_protocols(mod);
  out.reserve(count);
  for (u_int id = 0; id < count; ++id) {
    ndpi_protocol proto = {static_cast<u_int16_t>(NDPI_PROTOCOL_UNKNOWN),
                           static_cast<u_int16_t>(id), NDPI_PROTOCOL_CATEGORY_UNSPECIFIED};
    const char* name = ndpi_get_proto_name(mod, static_cast<u_int16_t>(id));
    ndpi_protocol_category_t category = ndpi_get_proto_category(mod, proto);
    const char* category_name = ndpi_category_get_name(mod, category);
    out.push_back({static_cast<uint16_t>(id), name ? name : "", static_cast<uint16_t>(category),
                   category_name ? category_name : ""});
  }
  return out;
}

std::string ndpi_version_string() {
  const char* rev = ndpi_revision();
  return rev ? rev : "";
}

}  // namespace netifyd
