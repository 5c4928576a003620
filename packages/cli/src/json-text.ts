/** An array or object being written: its entries (key null for array items), the next one. */
interface Open {
  readonly entries: readonly (readonly [string | null, unknown])[];
  next: number;
  readonly close: string;
}

/**
 * `JSON.stringify(value)` (no spacing, same text for plain JSON data) without recursion, so a
 * payload nested thousands of levels deep is printed instead of failing with a `RangeError`
 * (queries can return such payloads, stored before the server limited their depth).
 */
export function jsonText(value: unknown): string {
  const out: string[] = [];
  const stack: Open[] = [];
  let item: unknown = value;
  for (;;) {
    const opened = open(item);
    if (opened === null) out.push(JSON.stringify(item) ?? 'null');
    else {
      out.push(opened.close === ']' ? '[' : '{');
      stack.push(opened);
    }
    let top = stack[stack.length - 1];
    while (top !== undefined && top.next === top.entries.length) {
      out.push(top.close);
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (top === undefined) return out.join('');
    const [key, next] = top.entries[top.next] as readonly [string | null, unknown];
    if (top.next > 0) out.push(',');
    if (key !== null) out.push(JSON.stringify(key), ':');
    top.next++;
    item = next;
  }
}

/** The entries of a plain array or object to write, or null for a value written as a whole. */
function open(value: unknown): Open | null {
  if (typeof value !== 'object' || value === null) return null;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return null;
  if (Array.isArray(value)) {
    return { entries: value.map((v: unknown) => [null, v] as const), next: 0, close: ']' };
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function',
  );
  return { entries, next: 0, close: '}' };
}
