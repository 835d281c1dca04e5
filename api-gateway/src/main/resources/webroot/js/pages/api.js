// API reference: rendered from the gateway's own /openapi.json, so it always matches the routes.
import { h, replace } from '../dom.js';
import { getJson } from '../api.js';
import { problemBox, pageTitle } from '../widgets.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows a local "$ref": "#/components/..." pointer. */
function resolve(doc, node) {
  let seen = 0;
  while (node && node.$ref && seen++ < 20) {
    node = node.$ref.replace(/^#\//, '').split('/').reduce((at, key) => at?.[key], doc);
  }
  return node ?? {};
}

function typeOf(doc, schema) {
  const s = resolve(doc, schema);
  if (schema?.$ref) return schema.$ref.split('/').pop();
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.oneOf || s.anyOf) return (s.oneOf ?? s.anyOf).map((x) => typeOf(doc, x)).join(' | ');
  if (s.type === 'array') return `${typeOf(doc, s.items)}[]`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'object');
}

function limits(s) {
  const parts = [];
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  if (s.minimum !== undefined || s.exclusiveMinimum !== undefined || s.maximum !== undefined) {
    const low = s.exclusiveMinimum !== undefined ? `(${s.exclusiveMinimum}` : (s.minimum !== undefined ? `[${s.minimum}` : '(-∞');
    const high = s.maximum !== undefined ? `${s.maximum}]` : '∞)';
    parts.push(`${low}, ${high}`);
  }
  if (s.maxLength !== undefined) parts.push(`≤ ${s.maxLength} chars`);
  return parts.join('; ');
}

/** A schema's properties as a table; nested objects get their own rows, indented by path; one table per alternative of a oneOf. */
function schemaTable(doc, schema) {
  const top = resolve(doc, schema);
  const alternatives = top.oneOf ?? top.anyOf;
  if (alternatives && alternatives.length > 1) {
    return alternatives.map((alt) => [h('p', {}, 'One of: ', h('strong', { text: typeOf(doc, alt) })), schemaTable(doc, alt)]);
  }
  const rows = [];
  const walk = (node, prefix, depth) => {
    const s = resolve(doc, node);
    const required = new Set(s.required ?? []);
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const p = resolve(doc, prop);
      rows.push(h('tr', {},
        h('td', {}, h('code', { text: prefix + name })),
        h('td', { text: typeOf(doc, prop) }),
        h('td', { text: required.has(name) ? 'yes' : '' }),
        h('td', {}, [p.description ?? '', limits(p) ? h('span', { class: 'hint', text: ` ${limits(p)}` }) : null])));
      if (depth < 3 && (p.properties || (p.oneOf && p.oneOf.length === 1))) walk(p.oneOf ? p.oneOf[0] : prop, `${prefix}${name}.`, depth + 1);
    }
  };
  walk(schema, '', 0);
  if (!rows.length) return h('p', { class: 'hint', text: typeOf(doc, schema) });
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['field', 'type', 'required', 'meaning'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows)));
}

function operation(doc, path, method, op) {
  const params = (op.parameters ?? []).map((p) => resolve(doc, p));
  const body = op.requestBody ? resolve(doc, op.requestBody) : null;
  const id = `op-${method}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
  return h('section', { class: 'card api-op', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, h('span', { class: `method method-${method}`, text: method.toUpperCase() }), ' ', h('code', { text: path })),
    op.summary ? h('p', { text: op.summary }) : null,
    op.security && op.security.length === 0 ? h('p', { class: 'hint', text: 'No API key needed.' }) : null,
    params.length ? [h('h4', { text: 'Parameters' }), h('ul', {}, params.map((p) =>
      h('li', {}, h('code', { text: p.name }), ` (${p.in}${p.required ? ', required' : ''}): ${typeOf(doc, p.schema)}`,
        p.description ? ` — ${p.description}` : '')))] : null,
    body ? Object.entries(body.content ?? {}).map(([type, c]) =>
      [h('h4', {}, 'Request body ', h('code', { text: type })), schemaTable(doc, c.schema)]) : null,
    h('h4', { text: 'Responses' }),
    h('ul', {}, Object.entries(op.responses ?? {}).map(([status, r]) => {
      const res = resolve(doc, r);
      const first = Object.entries(res.content ?? {})[0];
      return h('li', {}, h('strong', { text: status }), ` ${res.description ?? ''}`,
        first ? [' — ', h('code', { text: first[0] }), ` ${typeOf(doc, first[1].schema)}`] : null);
    })));
}

export async function render({ root, signal }) {
  const status = h('p', { text: 'Loading /openapi.json…' });
  replace(root, pageTitle('API reference'), status);
  let doc;
  try {
    doc = await getJson('/openapi.json', { signal });
  } catch (e) {
    if (e.name !== 'AbortError') replace(root, pageTitle('API reference'), problemBox(e, 'Could not load /openapi.json:'));
    return;
  }
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]) ops.push([path, method, item[method]]);
  }
  const problem = resolve(doc, doc.components?.schemas?.Problem);
  const codes = resolve(doc, problem.properties?.code).enum ?? [];
  replace(root, pageTitle('API reference'),
    h('p', {}, `${doc.info?.title ?? 'Unmask'} ${doc.info?.version ?? ''}: ${ops.length} operations, generated from `,
      h('a', { href: '/openapi.json', text: '/openapi.json' }), '. Every /v1 call needs ', h('code', { text: 'Authorization: Bearer <key>' }), '.'),
    h('nav', { 'aria-label': 'Operations', class: 'card' }, h('ul', { class: 'api-index' }, ops.map(([path, method]) =>
      h('li', {}, h('a', { href: `#/api?op=op-${method}-${path.replace(/[^a-z0-9]+/gi, '-')}` }, `${method.toUpperCase()} ${path}`))))),
    ops.map(([path, method, op]) => operation(doc, path, method, op)),
    codes.length ? h('section', { class: 'card', 'aria-labelledby': 'error-codes' },
      h('h2', { id: 'error-codes', text: 'Error codes' }),
      h('p', { text: 'Errors are application/problem+json with a stable code:' }),
      h('ul', { class: 'api-index' }, codes.map((c) => h('li', {}, h('code', { text: c }))))) : null);
}

/** Scrolls to the operation named in the hash query (#/api?op=...) after rendering. */
export function focusOperation(query) {
  const target = query.get('op') && document.getElementById(query.get('op'));
  target?.scrollIntoView();
}
