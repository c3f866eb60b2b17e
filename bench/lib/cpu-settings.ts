import { type CpuSetting, FULL_CPU } from './cold';
import type { CpuModel } from './cpu-model';

export function cpuSettings(cpu: CpuModel, initAtShare: boolean): CpuSetting[] {
  return [
    FULL_CPU,
    ...[...cpu.bySize].map(([mb, group]) => ({
      label: `${mb} MB`,
      memoryMb: mb,
      group,
      initAtShare,
    })),
  ];
}
