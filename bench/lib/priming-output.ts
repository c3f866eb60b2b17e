import type { VariantName } from './variants';

/**
 * Priming must never log as a request and never fail silently: a cold start of a primed variant
 * writes exactly one request line (the invoke's) and no priming warning.
 */
export function checkPrimingOutput(variant: VariantName, output: string): void {
  if (!variant.startsWith('item-api') && variant !== 'typical') return;
  const requestLines = output.split('\n').filter((line) => line.includes('"message":"request"')).length;
  if (output.includes('init priming skipped') || requestLines !== 1) {
    throw new Error(
      `${variant}: priming failed or logged as a request (${requestLines} request lines)\n${output}`,
    );
  }
}
