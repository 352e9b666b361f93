// Native failures become JS errors with a stable `code`; nothing aborts the process.
#pragma once
#include <napi.h>

#include <string>

namespace netifyd {

Napi::Error make_error(Napi::Env env, const std::string& code, const std::string& message);

}  // namespace netifyd
