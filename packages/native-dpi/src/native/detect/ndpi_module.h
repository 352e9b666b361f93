// One nDPI detection module (per detection thread), and nDPI's static facts for JS.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

struct ndpi_detection_module_struct;

namespace netifyd {

class NdpiModule {
 public:
  // Throws std::runtime_error if nDPI cannot be initialised or its headers do not match
  // the linked library.
  NdpiModule();
  ~NdpiModule();
  NdpiModule(const NdpiModule&) = delete;
  NdpiModule& operator=(const NdpiModule&) = delete;

  ndpi_detection_module_struct* get() const { return mod_; }
  // Frees the module now (get() is null after); the destructor then has nothing to do.
  void release();

 private:
  ndpi_detection_module_struct* mod_ = nullptr;
};

struct ProtocolInfo {
  uint16_t id;
  std::string name;
  uint16_t category;
  std::string category_name;
};

std::vector<ProtocolInfo> ndpi_protocol_table();
std::string ndpi_version_string();

}  // namespace netifyd
