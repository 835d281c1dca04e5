// The live denoising canvas: frames of a generate job drawn as text with mask chips, this step's new words highlighted.
import { h, replace } from './dom.js';

export const MASK = '\u2591'; // how the worker draws a masked position in a frame's canvas

/** A canvas as units: each mask is one unit, text splits into words and the spaces between them. */
export function units(canvas) {
  return canvas.match(new RegExp(`${MASK}|\\s+|[^\\s${MASK}]+`, 'gu')) ?? [];
}

/** Which units of `next` are new since `prev` (not part of their longest common subsequence). */
export function newUnits(prev, next) {
  const n = prev.length, m = next.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = prev[i] === next[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const fresh = new Array(m).fill(true);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (prev[i] === next[j]) { fresh[j] = false; i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return fresh;
}

/** One text of a job (a job with n > 1 has several): its canvas and step line. */
class Row {
  constructor(parent, label) {
    this.prev = [];
    this.line = h('p', { class: 'stepline', 'aria-live': 'polite' }, 'Waiting for the first frame…');
    this.canvas = h('div', { class: 'canvas', 'aria-hidden': 'true' });
    parent.append(h('div', { class: 'canvas-row' }, label ? h('h3', { text: label }) : null, this.line, this.canvas));
  }

  frame(data, totalSteps, prompt) {
    const next = units(data.canvas);
    const fresh = newUnits(this.prev, next);
    this.prev = next;
    const promptUnits = prompt && data.canvas.startsWith(prompt) ? units(prompt).length : 0;
    replace(this.canvas, next.map((u, i) => {
      if (u === MASK) return h('span', { class: 'chip' });
      if (i < promptUnits) return h('span', { class: 'prompt', text: u });
      return fresh[i] && u.trim() ? h('span', { class: 'new', text: u }) : u;
    }));
    this.canvas.dataset.masked = String(data.masked);
    this.canvas.dataset.step = String(data.step);
    const of = totalSteps ? ` of ${totalSteps}` : '';
    this.line.textContent = `Step ${data.step}${of} · ${data.masked} masked · ${data.changed?.length ?? 0} changed`;
  }
}

/** Every row of one generate job. */
export class DenoiseView {
  constructor(prompt, totalSteps, n = 1) {
    this.prompt = prompt;
    this.n = n;
    this.totalSteps = totalSteps;
    this.rows = new Map();
    this.el = h('div', { class: 'denoise' });
    this.frames = 0;
  }

  frame(data) {
    const index = data.index ?? 0;
    if (!this.rows.has(index)) this.rows.set(index, new Row(this.el, this.n > 1 ? `Text ${index + 1}` : null));
    this.rows.get(index).frame(data, this.totalSteps, this.prompt);
    this.frames++;
    this.el.dataset.frames = String(this.frames);
  }
}
