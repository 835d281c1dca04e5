// Building DOM without a framework: h('button', {type: 'button', onclick}, 'Text').

/** An element: props set attributes (on* become listeners, class/text/value/hidden are direct), children are nodes, strings, arrays or null. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'value' || name === 'checked' || name === 'hidden' || name === 'disabled') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let ids = 0;

/**
 * A labelled form control: label text above it (label for=id, so the control's name is the text
 * alone) and an optional hint below, tied to it with aria-describedby.
 */
export function field(text, control, hint) {
  if (!control.id) control.id = `field-${++ids}`;
  const help = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (help) control.setAttribute('aria-describedby', help.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control, help);
}

export function options(select, items, selected) {
  replace(select, items.map(([value, text]) => h('option', { value, selected: value === selected || null }, text)));
  return select;
}
