// An error opening or configuring a capture source; `code` becomes the JS error's code.
#pragma once
#include <stdexcept>
#include <string>

namespace netifyd {

class CaptureError : public std::runtime_error {
 public:
  CaptureError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace netifyd
