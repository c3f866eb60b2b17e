/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion to memory below that. */
export const ONE_VCPU_MB = 1769;
export const MEMORY_SIZES_MB = [128, 256, 512, 1024, 1769] as const;

/** The fraction of one CPU a function of this size gets. */
export function cpuShare(memoryMb: number): number {
  return memoryMb / ONE_VCPU_MB;
}

/** CFS bandwidth control: `quotaUs` of CPU time per `periodUs`, across all the process's threads. */
export function cpuQuotaUs(memoryMb: number, periodUs: number): number {
  const quotaUs = Math.round(periodUs * cpuShare(memoryMb));
  // The kernel refuses quotas under 1 ms.
  if (quotaUs < 1000) {
    throw new Error(
      `${memoryMb} MB over a ${periodUs / 1000} ms period is a ${quotaUs} us quota; the kernel needs at least 1 ms (use a longer --cpu-period-ms)`,
    );
  }
  return quotaUs;
}
