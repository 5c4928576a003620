import { useState } from 'preact/hooks';

import { parsePatterns } from '../api.js';

/** A text box of type patterns (`a/*, b/?/c`) applied on Enter or with the button. */
export function PatternInput({
  initial,
  label,
  onApply,
  name,
  action = 'Apply',
}: {
  action?: string;
  initial: string;
  label: string;
  onApply: (patterns: string[]) => void;
  name: string;
}) {
  const [text, setText] = useState(initial);
  const apply = (e: Event) => {
    e.preventDefault();
    onApply(parsePatterns(text));
  };
  return (
    <form class="row" onSubmit={apply}>
      <label>
        {label}{' '}
        <input name={name} value={text} onInput={(e) => setText(e.currentTarget.value)} size={40} />
      </label>
      <button type="submit">{action}</button>
    </form>
  );
}
