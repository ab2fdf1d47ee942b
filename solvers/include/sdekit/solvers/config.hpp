// Portability macros shared by every header: functions that per-path kernels call are marked
// SDEKIT_HOST_DEVICE so that nvcc compiles them for the GPU; a host compiler sees nothing.
#pragma once

#if defined(__CUDACC__) || defined(__HIPCC__)
#define SDEKIT_HOST_DEVICE __host__ __device__
#else
#define SDEKIT_HOST_DEVICE
#endif

#if defined(__CUDA_ARCH__)
#define SDEKIT_DEVICE_CODE 1
#else
#define SDEKIT_DEVICE_CODE 0
#endif

// Placed before a SDEKIT_HOST_DEVICE function template that is also instantiated with host-only
// types, such as a stepper or sdekit::for_each over a thrust::device_vector state, whose
// operations launch kernels from the host. nvcc then does not check the calls of the device-side
// instantiation, which no kernel calls (Thrust does the same, _CCCL_EXEC_CHECK_DISABLE). Without
// it every such instantiation warns "calling a __host__ function from a __host__ __device__
// function is not allowed".
#if defined(__NVCC__)
#define SDEKIT_EXEC_CHECK_DISABLE _Pragma("nv_exec_check_disable")
#else
#define SDEKIT_EXEC_CHECK_DISABLE
#endif

// Placed on the small functions that a SIMD lane loop calls once per lane (a per-sample score, a
// right-hand side): the loop vectorises only when they are inlined into it, and g++ leaves larger
// ones out of line at its default limits.
#if defined(__CUDA_ARCH__)
#define SDEKIT_INLINE __forceinline__
#elif defined(__GNUC__)
#define SDEKIT_INLINE inline __attribute__((always_inline))
#else
#define SDEKIT_INLINE inline
#endif

// The same for a lambda that a lane loop calls (placed after its parameter list): g++ otherwise
// leaves it out of line once the calling frame is large (--param large-stack-frame-growth).
#if !defined(__CUDACC__) && defined(__GNUC__)
#define SDEKIT_INLINE_LAMBDA __attribute__((always_inline))
#else
#define SDEKIT_INLINE_LAMBDA
#endif

// Placed before a loop of a compile-time trip count inside a function that SIMD lane loops call:
// the lanes vectorise only when every inner loop is unrolled away.
#if defined(__CUDA_ARCH__) || defined(__clang__)
#define SDEKIT_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define SDEKIT_UNROLL _Pragma("GCC unroll 64")
#else
#define SDEKIT_UNROLL
#endif
