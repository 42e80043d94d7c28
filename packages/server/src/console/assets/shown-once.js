import { useState } from 'preact/hooks';
import { html } from './html.js';

/** A secret the server shows once (an API key, a signing secret): visible, copyable, dismissable. */
export function ShownOnce({ label, value, onDismiss, children }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return html`<div class="notice shown-once" role="status">
    <p>${children}</p>
    <p class="secret-line"><code class="mono secret break" aria-label=${label}>${value}</code>
      <button type="button" class="quiet" onClick=${copy}>${copied ? 'Copied' : 'Copy'}</button>
      ${onDismiss ? html`<button type="button" class="quiet" onClick=${onDismiss}>Done</button>` : null}</p>
  </div>`;
}
