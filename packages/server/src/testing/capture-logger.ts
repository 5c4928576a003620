import type { Logger } from '@eventum/core';

/** One captured log line: its level, message and every field (a child's included). */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line in `lines`, for tests that check what the server logs. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (base: Record<string, unknown>): Logger => {
    const at =
      (level: LogLine['level']) =>
      (message: string, fields?: Record<string, unknown>): void =>
        void lines.push({ level, message, fields: { ...base, ...fields } });
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return { logger: make({}), lines };
}
