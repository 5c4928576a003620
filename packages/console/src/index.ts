import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the console's built assets (`index.html` and `assets/`), or null when the
 * console was not built (`npm run build` builds it). The server serves it at `/`.
 */
export function consoleAssetsDir(): string | null {
  const dir = fileURLToPath(new URL('./app/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}
