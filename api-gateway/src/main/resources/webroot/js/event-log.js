// A job's events as a table; progress and frame events (one per step) are counted, listed only on request.
import { h, replace } from './dom.js';

const FREQUENT = new Set(['progress', 'frame']);
const KEEP = 500;

function summary(event) {
  const d = event.data ?? {};
  switch (event.kind) {
    case 'status': return [d.status, d.error ? `${d.error.code}: ${d.error.message}` : null, d.worker ? `worker ${d.worker}` : null, d.reason].filter(Boolean).join(' · ');
    case 'log': return d.message ?? '';
    case 'checkpoint': return `step ${d.step} · ${d.uri}`;
    case 'progress': return `step ${d.step}/${d.total} · loss ${d.loss}`;
    case 'frame': return `text ${d.index} · step ${d.step} · ${d.masked} masked`;
    default: return JSON.stringify(d);
  }
}

export function eventLog() {
  const events = [];
  const counts = h('span', { class: 'hint' });
  const all = h('input', { type: 'checkbox', id: 'events-all' });
  const body = h('tbody');
  const el = h('section', { id: 'job-events' }, h('h2', { text: 'Events' }),
    h('p', {}, h('label', { class: 'inline' }, all, 'Show every progress and frame event'), ' ', counts),
    h('div', { class: 'table-wrap events' }, h('table', {},
      h('thead', {}, h('tr', {}, ['#', 'Time', 'Kind', 'Details'].map((t) => h('th', { scope: 'col', text: t })))), body)));
  let frequent = 0;
  const row = (e) => h('tr', { 'data-kind': e.kind }, h('td', { class: 'num', text: e.id }),
    h('td', { text: new Date(e.created_at).toLocaleTimeString() }), h('td', { text: e.kind }), h('td', { text: summary(e) }));
  const redraw = () => replace(body, events.filter((e) => all.checked || !FREQUENT.has(e.kind)).slice(-KEEP).map(row));
  all.addEventListener('change', redraw);
  return {
    el,
    add(event) {
      events.push(event);
      if (events.length > 5 * KEEP) events.splice(0, events.length - 5 * KEEP);
      if (FREQUENT.has(event.kind)) {
        frequent++;
        counts.textContent = `(${frequent} progress/frame events)`;
        if (!all.checked) return;
      }
      body.append(row(event));
    },
  };
}
