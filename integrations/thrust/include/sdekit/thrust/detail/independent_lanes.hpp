// SDEKIT_INDEPENDENT_LANES, placed before a loop over the SIMD lanes of a block of paths or
// samples, tells the compiler that its iterations do not depend on each other. Not `omp simd`,
// which makes each local state of the loop body an array over the lanes, and g++ 12 then
// vectorises nothing; told only that iterations are independent, it replaces the local states by
// scalars and vectorises the lanes.
#pragma once

#if defined(__clang__)
#define SDEKIT_INDEPENDENT_LANES _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__) && !defined(__CUDACC__)
#define SDEKIT_INDEPENDENT_LANES _Pragma("GCC ivdep")
#else
#define SDEKIT_INDEPENDENT_LANES
#endif
