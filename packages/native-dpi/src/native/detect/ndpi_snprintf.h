// A direct writer for the simple snprintf formats nDPI uses on its hot paths (see the .cc).
#pragma once
#include <string>
#include <vector>

namespace netifyd {

// Compares the direct writer with glibc on nDPI's formats, edge cases, truncation and
// formats it leaves to glibc; one line per disagreement (the test suite expects none).
std::vector<std::string> fast_snprintf_mismatches();

}  // namespace netifyd
