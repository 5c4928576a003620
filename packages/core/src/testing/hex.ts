// Test support (not exported, not published): hex byte strings for golden vectors.

/** Bytes from space-separated hex; a "quoted" token stands for its ASCII bytes. */
export const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    (s.match(/"[^"]*"|\S+/g) ?? []).flatMap((t) =>
      t.startsWith('"') ? Array.from(t.slice(1, -1), (c) => c.charCodeAt(0)) : [parseInt(t, 16)],
    ),
  );

/** Space-separated lowercase hex of `b`. */
export const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
