import { useState } from 'preact/hooks';

import { api, parsePatterns } from '../api.js';

/** Reads the form's payload: JSON text, base64 for binary, or none. */
function payloadOf(kind: string, text: string, binaryType: string): unknown {
  if (kind === 'none') return null;
  if (kind === 'binary') return { data_type: 'binary', binary_type: binaryType, data: text.trim() };
  try {
    return { data_type: 'json', data: JSON.parse(text) as unknown };
  } catch (e) {
    throw new Error(`payload is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** Registers one event and shows the server's answer. */
export function RegisterView() {
  const [type, setType] = useState('');
  const [kind, setKind] = useState('json');
  const [text, setText] = useState('');
  const [binaryType, setBinaryType] = useState('');
  const [sourceNow, setSourceNow] = useState(false);
  const [wait, setWait] = useState('registered');
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const [eventType] = parsePatterns(type);
      if (eventType === undefined) throw new Error('the event type is required');
      const now = Date.now();
      const event = {
        type: eventType,
        payload: payloadOf(kind, text, binaryType),
        ...(sourceNow
          ? { source_timestamp: { s: Math.floor(now / 1000), us: (now % 1000) * 1000 } }
          : {}),
      };
      const result = await api.register([event], wait);
      setAnswer({ ok: true, text: JSON.stringify(result ?? { accepted: true }, null, 2) });
    } catch (error) {
      setAnswer({ ok: false, text: (error as Error).message });
    }
  };
  return (
    <section>
      <form class="register" onSubmit={(e) => void submit(e)}>
        <label>
          Type{' '}
          <input
            name="type"
            value={type}
            placeholder="plant/line1/temperature"
            onInput={(e) => setType(e.currentTarget.value)}
          />
        </label>
        <label>
          Payload{' '}
          <select name="payload-type" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="json">JSON</option>
            <option value="binary">binary (base64)</option>
            <option value="none">none</option>
          </select>
        </label>
        {kind === 'binary' && (
          <label>
            Binary type{' '}
            <input
              name="binary-type"
              value={binaryType}
              onInput={(e) => setBinaryType(e.currentTarget.value)}
            />
          </label>
        )}
        {kind !== 'none' && (
          <textarea
            name="payload"
            rows={6}
            value={text}
            placeholder='{"value": 21.5}'
            onInput={(e) => setText(e.currentTarget.value)}
          />
        )}
        <label>
          <input
            type="checkbox"
            checked={sourceNow}
            onChange={(e) => setSourceNow(e.currentTarget.checked)}
          />{' '}
          source timestamp now
        </label>
        <label>
          Wait{' '}
          <select name="wait" value={wait} onChange={(e) => setWait(e.currentTarget.value)}>
            <option value="registered">for the registered event</option>
            <option value="persisted">until stored</option>
            <option value="none">no</option>
          </select>
        </label>
        <button type="submit">Register</button>
      </form>
      {answer !== null && (
        <pre class={answer.ok ? 'answer' : 'answer error'} data-testid="register-answer">
          {answer.text}
        </pre>
      )}
    </section>
  );
}
