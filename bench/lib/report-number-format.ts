export const f1 = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));
export const f3 = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(3));
export const times = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}x`);
export const kib = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1024).toFixed(1));
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
export const signedMib = (bytes: number) =>
  `${bytes >= 0 ? '+' : '-'}${(Math.abs(bytes) / 2 ** 20).toFixed(2)} MiB`;
export const dollars = (value: number) => `$${value.toFixed(4)}`;
