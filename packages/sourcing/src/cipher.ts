import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CipherGCMTypes } from 'node:crypto';

import { ProtocolError, invalidArgument } from '@eventum/core';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-GCM encryption of stored state (the Python library's `AESCipher`): a fresh 12-byte nonce
 * per message, output `nonce(12) | tag(16) | ciphertext`. The key is 16, 24 or 32 bytes (AES-128,
 * -192, -256), given as base64. Damaged or foreign data fails with `ERR_PROTOCOL`.
 */
export class AesCipher {
  readonly #key: Buffer;
  readonly #algorithm: CipherGCMTypes;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, 'base64');
    if (![16, 24, 32].includes(key.length)) {
      throw invalidArgument(
        `cipher key must be base64 of 16, 24 or 32 bytes, got ${key.length} bytes`,
      );
    }
    this.#key = key;
    this.#algorithm = `aes-${key.length * 8}-gcm` as CipherGCMTypes;
  }

  /** A new random key of `bytes` bytes, as base64. */
  static createKey(bytes: 16 | 24 | 32 = 32): string {
    return randomBytes(bytes).toString('base64');
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(this.#algorithm, this.#key, nonce);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  decrypt(data: Uint8Array): Uint8Array {
    if (data.length < NONCE_BYTES + TAG_BYTES)
      throw new ProtocolError('encrypted state is too short');
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    try {
      const decipher = createDecipheriv(this.#algorithm, this.#key, bytes.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new ProtocolError('encrypted state cannot be decrypted (wrong key or damaged data)', {
        cause: error,
      });
    }
  }
}

/** Compression of stored state: any object with `compress`/`decompress` fits. */
export interface Compressor {
  compress(data: Uint8Array): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
}
