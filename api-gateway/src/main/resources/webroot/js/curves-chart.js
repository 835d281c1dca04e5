// Several named series on one inline SVG chart (the compare page's two loss curves); a legend names each.
import { num } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 260, PAD = { left: 58, right: 12, top: 12, bottom: 30 };

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** `add(series, x, y)` appends a point to one series; redraws are batched per animation frame. */
export class CurvesChart {
  constructor(title, xLabel, names) {
    this.title = title;
    this.xLabel = xLabel;
    this.names = names;
    this.series = names.map(() => []);
    this.pending = false;
    this.el = document.createElement('figure');
    this.el.className = 'chart card';
    this.caption = document.createElement('figcaption');
    this.legend = document.createElement('p');
    this.legend.className = 'legend';
    this.root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
    this.el.append(this.caption, this.root, this.legend);
    this.draw();
  }

  /** Sets the x axis's name (a run that reports wall-clock seconds is drawn against them). */
  setXLabel(label) {
    this.xLabel = label;
    this.schedule();
  }

  add(index, x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.series[index].push({ x, y });
    this.schedule();
  }

  clear(index) {
    this.series[index] = [];
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const all = this.series.flat();
    this.caption.textContent = `${this.title} against ${this.xLabel}`;
    this.series.forEach((pts, i) => { this.el.dataset[`points${i}`] = String(pts.length); });
    this.root.replaceChildren(svg('title', {}, `${this.title}: ${this.names.map((n, i) => `${n} ${this.series[i].length} points`).join(', ')}`));
    this.legend.replaceChildren(...this.names.map((name, i) => {
      const last = this.series[i].at(-1);
      const item = document.createElement('span');
      item.className = `key key-${i}`;
      item.textContent = `${name}${last ? `: ${num(last.y)} at ${this.xLabel} ${num(last.x)}` : ' (no data)'}`;
      return item;
    }));
    const [x0, x1] = extent(all.map((p) => p.x), 0);
    const [y0, y1] = extent(all.map((p) => p.y));
    const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
    const sy = (y) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
    const g = this.root;
    g.append(svg('line', { class: 'axis', x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
    g.append(svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
    if (!all.length) return;
    g.append(svg('text', { x: PAD.left - 6, y: PAD.top + 8, 'text-anchor': 'end' }, num(y1, 3)));
    g.append(svg('text', { x: PAD.left - 6, y: H - PAD.bottom, 'text-anchor': 'end' }, num(y0, 3)));
    g.append(svg('text', { x: PAD.left, y: H - 8 }, num(x0)));
    g.append(svg('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end' }, `${this.xLabel} ${num(x1)}`));
    this.series.forEach((pts, i) => {
      if (pts.length) g.append(svg('polyline', { class: `line line-${i}`, points: pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ') }));
    });
  }
}

function extent(values, floor) {
  if (!values.length) return [floor ?? 0, 1];
  let lo = floor ?? Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}
