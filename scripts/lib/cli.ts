/**
 * Runs a script's main function when the file is executed (not when a test imports it), and turns
 * a failure into one readable line and exit code 1 instead of a stack trace.
 */
export function runWhenMain(module: NodeModule, main: () => unknown, label?: string): void {
  if (require.main !== module) return;
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(label ? `${label}: ${message}` : message);
      process.exitCode = 1;
    });
}
