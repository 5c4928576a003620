import { useState } from 'preact/hooks';

import { api, parsePatterns } from '../api.js';

interface Form {
  type: string;
  kind: string;
  text: string;
  binaryType: string;
  sourceNow: boolean;
  wait: string;
}
type Set = <K extends keyof Form>(field: K, value: Form[K]) => void;

const EMPTY: Form = {
  type: '',
  kind: 'json',
  text: '',
  binaryType: '',
  sourceNow: false,
  wait: 'registered',
};

/** Reads the form's payload: JSON text, base64 for binary, or none. */
function payloadOf({ kind, text, binaryType }: Form): unknown {
  if (kind === 'none') return null;
  if (kind === 'binary') return { data_type: 'binary', binary_type: binaryType, data: text.trim() };
  try {
    return { data_type: 'json', data: JSON.parse(text) as unknown };
  } catch (e) {
    throw new Error(`payload is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** The event the form describes, as the API takes it. */
function eventOf(form: Form): Record<string, unknown> {
  const [type] = parsePatterns(form.type);
  if (type === undefined) throw new Error('the event type is required');
  const now = Date.now();
  const source = { s: Math.floor(now / 1000), us: (now % 1000) * 1000 };
  return {
    type,
    payload: payloadOf(form),
    ...(form.sourceNow ? { source_timestamp: source } : {}),
  };
}

/** Registers one event and shows the server's answer. */
export function RegisterView() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const set: Set = (field, value) => setForm((f) => ({ ...f, [field]: value }));
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const result = await api.register([eventOf(form)], form.wait);
      setAnswer({ ok: true, text: JSON.stringify(result ?? { accepted: true }, null, 2) });
    } catch (error) {
      setAnswer({ ok: false, text: (error as Error).message });
    }
  };
  return (
    <section>
      <form class="register" onSubmit={(e) => void submit(e)}>
        <RegisterFields form={form} set={set} />
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

function RegisterFields({ form, set }: { form: Form; set: Set }) {
  return (
    <>
      <label>
        Type{' '}
        <input
          name="type"
          value={form.type}
          placeholder="plant/line1/temperature"
          onInput={(e) => set('type', e.currentTarget.value)}
        />
      </label>
      <PayloadFields form={form} set={set} />
      <label>
        <input
          type="checkbox"
          checked={form.sourceNow}
          onChange={(e) => set('sourceNow', e.currentTarget.checked)}
        />{' '}
        source timestamp now
      </label>
      <label>
        Wait{' '}
        <select name="wait" value={form.wait} onChange={(e) => set('wait', e.currentTarget.value)}>
          <option value="registered">for the registered event</option>
          <option value="persisted">until stored</option>
          <option value="none">no</option>
        </select>
      </label>
    </>
  );
}

function PayloadFields({ form, set }: { form: Form; set: Set }) {
  return (
    <>
      <label>
        Payload{' '}
        <select
          name="payload-type"
          value={form.kind}
          onChange={(e) => set('kind', e.currentTarget.value)}
        >
          <option value="json">JSON</option>
          <option value="binary">binary (base64)</option>
          <option value="none">none</option>
        </select>
      </label>
      {form.kind === 'binary' && (
        <label>
          Binary type{' '}
          <input
            name="binary-type"
            value={form.binaryType}
            onInput={(e) => set('binaryType', e.currentTarget.value)}
          />
        </label>
      )}
      {form.kind !== 'none' && (
        <textarea
          name="payload"
          rows={6}
          value={form.text}
          placeholder='{"value": 21.5}'
          onInput={(e) => set('text', e.currentTarget.value)}
        />
      )}
    </>
  );
}
