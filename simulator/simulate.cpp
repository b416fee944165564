#include "stride/simulate.hpp"

#include <stdexcept>

namespace stride::sim {
Result simulate(const Settings&) { throw std::logic_error("simulate: not implemented yet"); }
}  // namespace stride::sim
