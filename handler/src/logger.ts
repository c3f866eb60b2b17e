export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  log(level: LogLevel, message: string, fields: Record<string, unknown>): void;
}

/**
 * One JSON object per line on stdout. It bypasses console.* so the line stays valid JSON under
 * both of Lambda's log formats (Text prefixes console lines, JSON wraps them in "message").
 */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  return {
    log(level, message, fields) {
      write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, message, ...fields })}\n`);
    },
  };
}
