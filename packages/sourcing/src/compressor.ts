import { deflateSync, inflateSync } from 'node:zlib';

import { ProtocolError } from '@eventum/core';

import type { Compressor } from './cipher.js';

/** zlib (deflate) compression, the Python library's `ZlibCompressor`. */
export const zlibCompressor: Compressor = {
  compress: (data) => deflateSync(data),
  decompress: (data) => {
    try {
      return inflateSync(data);
    } catch (error) {
      throw new ProtocolError('compressed state cannot be inflated', { cause: error });
    }
  },
};
