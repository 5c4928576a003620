import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import type { EventPayload, JsonValue } from '@eventum/core';
import { parse as parseYaml } from 'yaml';

import { UsageError } from './usage.js';

export type PayloadType = 'json' | 'yaml' | 'binary' | 'none';

/** Where a register command's payload comes from. */
export interface PayloadSource {
  /** The payload given on the command line. */
  readonly text?: string | undefined;
  /** A file, or `-` for stdin. */
  readonly path?: string | undefined;
  readonly type?: string | undefined;
  readonly binaryType?: string | undefined;
}

/**
 * Reads the payload: from the argument, a file or stdin; JSON, YAML or raw bytes for binary.
 * Without `--payload-type`, a file's suffix decides (`.json`, `.yaml`/`.yml`, anything else
 * binary) and text defaults to JSON. No source means no payload.
 */
export async function readPayload(source: PayloadSource): Promise<EventPayload | null> {
  const type = payloadType(source);
  if (type === 'none') return null;
  if (source.text !== undefined && source.path !== undefined) {
    throw new UsageError('give the payload either as an argument or with --payload-path, not both');
  }
  if (source.text === undefined && source.path === undefined) return null;
  const bytes =
    source.text !== undefined ? Buffer.from(source.text, 'utf8') : await readSource(source.path!);
  if (type === 'binary') {
    return { type: 'binary', binaryType: source.binaryType ?? '', data: new Uint8Array(bytes) };
  }
  const text = bytes.toString('utf8');
  try {
    const data = (type === 'json' ? JSON.parse(text) : parseYaml(text)) as JsonValue;
    return { type: 'json', data };
  } catch (error) {
    throw new UsageError(`payload is not valid ${type.toUpperCase()}: ${(error as Error).message}`);
  }
}

function payloadType(source: PayloadSource): PayloadType {
  const given = source.type;
  if (given !== undefined) {
    if (!['json', 'yaml', 'binary', 'none'].includes(given)) {
      throw new UsageError(`--payload-type must be json, yaml, binary or none, got ${given}`);
    }
    return given as PayloadType;
  }
  if (source.path === undefined || source.path === '-') return 'json';
  const suffix = extname(source.path);
  if (suffix === '.json') return 'json';
  return suffix === '.yaml' || suffix === '.yml' ? 'yaml' : 'binary';
}

async function readSource(path: string): Promise<Buffer> {
  if (path !== '-') {
    try {
      return await readFile(path);
    } catch (error) {
      throw new UsageError(`cannot read payload file ${path}: ${(error as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
