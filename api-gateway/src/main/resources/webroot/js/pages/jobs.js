// Jobs: newest first, filtered by status and type, refreshed every 2 s; cancel from the table.
import { h, replace, field, options } from '../dom.js';
import { getJson, TERMINAL } from '../api.js';
import { every } from '../poll.js';
import { age } from '../format.js';
import { statusBadge, jobLink, pageTitle, cancelButton } from '../widgets.js';

const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled'];
const TYPES = ['', 'train', 'generate'];
const PAGE = 50;

export function render({ root, query, signal }) {
  const status = options(h('select', { id: 'filter-status', name: 'status' }), STATUSES.map((s) => [s, s || 'any']), query.get('status') ?? '');
  const type = options(h('select', { id: 'filter-type', name: 'type' }), TYPES.map((t) => [t, t || 'any']), query.get('type') ?? '');
  const filters = h('form', { class: 'card grid', id: 'job-filters' }, field('Status', status), field('Type', type));
  const onFilter = () => {
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (type.value) q.set('type', type.value);
    location.hash = `#/jobs${q.size ? `?${q}` : ''}`;
  };
  status.addEventListener('change', onFilter);
  type.addEventListener('change', onFilter);
  filters.addEventListener('submit', (e) => { e.preventDefault(); onFilter(); });

  const body = h('tbody');
  const older = h('tbody');
  const message = h('div');
  const more = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Load older jobs');
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'jobs-table' },
    h('thead', {}, h('tr', {}, ['Job', 'Type', 'Status', 'Model', 'Progress', 'Age', ''].map((t, i) =>
      h('th', { scope: 'col', class: i === 3 ? 'hide-narrow' : null, text: t })))), body, older));
  replace(root, pageTitle('Jobs'),
    h('p', {}, 'Start a training on the ', h('a', { href: '#/models', text: 'Models' }), ' page, a generation in the ',
      h('a', { href: '#/playground', text: 'Playground' }), '.'),
    filters, message, table, h('div', { class: 'actions' }, more));

  const names = new Map();
  getJson('/v1/models', { signal }).then(({ models }) => models.forEach((m) => names.set(m.id, m.name))).catch(() => {});
  const row = (job) => h('tr', { 'data-job': job.id, 'data-status': job.status },
    h('td', {}, jobLink(job.id)), h('td', { text: job.type }), h('td', {}, statusBadge(job.status)),
    h('td', { class: 'hide-narrow', text: names.get(job.spec?.model) ?? job.spec?.model ?? '' }),
    h('td', {}, progressCell(job)), h('td', { class: 'age', title: job.created_at, text: age(job.created_at) }),
    h('td', {}, TERMINAL.has(job.status) ? null : cancelButton(job, message, signal)));

  const params = (cursor) => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (status.value) q.set('status', status.value);
    if (type.value) q.set('type', type.value);
    if (cursor) q.set('cursor', cursor);
    return q;
  };
  let cursor = null;
  let rows = new Map(); // job id -> {tr, sig}: unchanged rows stay in place, so keyboard focus survives a refresh
  const show = (jobs) => {
    rows = new Map(jobs.map((job) => {
      const sig = `${job.status}|${job.progress?.step}|${job.progress?.total}|${names.get(job.spec?.model) ?? ''}`;
      const old = rows.get(job.id);
      if (old && old.sig === sig) {
        old.tr.querySelector('.age').textContent = age(job.created_at);
        return [job.id, old];
      }
      return [job.id, { tr: row(job), sig }];
    }));
    const trs = [...rows.values()].map((r) => r.tr);
    if (!trs.length) replace(body, h('tr', {}, h('td', { colspan: 7, class: 'hint', text: 'No jobs.' })));
    else if (trs.length !== body.children.length || trs.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...trs);
  };
  every(2000, async () => {
    const page = await getJson(`/v1/jobs?${params()}`, { signal });
    show(page.jobs);
    if (!older.childElementCount) { cursor = page.next_cursor; more.hidden = !cursor; }
  }, signal);
  more.addEventListener('click', async () => {
    const page = await getJson(`/v1/jobs?${params(cursor)}`, { signal });
    older.append(...page.jobs.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  });
}

function progressCell(job) {
  const { step, total } = job.progress ?? {};
  if (!total) return '';
  return h('span', {}, h('progress', { value: step, max: total, 'aria-label': `step ${step} of ${total}` }), ` ${step}/${total}`);
}
