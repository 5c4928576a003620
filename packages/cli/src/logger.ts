import type { Logger } from '@eventum/core';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

/** A logger writing one JSON object per line to stderr, dropping lines below `level`. */
export function createLogger(level: LogLevel, fields: Record<string, unknown> = {}): Logger {
  const threshold = levels[level];
  const write =
    (name: LogLevel) =>
    (message: string, extra?: Record<string, unknown>): void => {
      if (levels[name] < threshold) return;
      const line = { time: new Date().toISOString(), level: name, message, ...fields, ...extra };
      process.stderr.write(`${JSON.stringify(line)}\n`);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createLogger(level, { ...fields, ...more }),
  };
}
