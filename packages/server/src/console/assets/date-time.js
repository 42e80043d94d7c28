import { formatDate, formatDateParts } from './format.js';
import { html } from './html.js';

/** formatDate in a table cell: it wraps between the date and the time, never inside either. */
export function DateTime({ iso }) {
  if (!iso) return formatDate(iso);
  const { date, separator, time } = formatDateParts(iso);
  if (!time) return date;
  return html`<span class="nowrap">${date}</span>${separator}<span class="nowrap">${time}</span>`;
}
