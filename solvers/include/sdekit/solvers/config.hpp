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
