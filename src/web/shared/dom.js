// Making and patching nodes, for every page: the one family of helpers the
// meeting's pages and the office's share. Everything a participant, a plan or
// a department wrote goes into a page as text (a text node, textContent), never
// as markup. Patching writes a text, an attribute or a class only when it
// differs, and a keyed list keeps the nodes of the items that did not change.

/** The element of id `id`. */
export const $ = (id) => document.getElementById(id);

/** An element with attributes (`on*` are listeners; a string is its class
 *  names) and children (anything but a node becomes a text node). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (typeof attrs === 'string') e.className = attrs;
  else for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // the CSSOM: allowed by the CSP
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of flatten(children)) e.appendChild(asNode(c));
  return e;
}

// A child as a node: a node as it is, anything else as its text.
function asNode(c) {
  return c instanceof Node ? c : document.createTextNode(String(c));
}

// Children as given: nested lists flattened, nothing for null, undefined or false.
// (Written out rather than `flat()` and `replaceChildren()`, which older in-app
// browsers lack.)
function flatten(children, out = []) {
  for (const c of children) {
    if (Array.isArray(c)) flatten(c, out);
    else if (c !== null && c !== undefined && c !== false) out.push(c);
  }
  return out;
}

/** Sets a node's text, only when it differs. */
export function text(node, value) {
  const s = value === null || value === undefined ? '' : String(value);
  if (node.textContent !== s) node.textContent = s;
}

/** Sets (or, for null, removes) an attribute, only when it differs. */
export function attr(node, name, value) {
  if (value === null || value === undefined || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else {
    const s = value === true ? '' : String(value);
    if (node.getAttribute(name) !== s) node.setAttribute(name, s);
  }
}

/** Shows or hides a node, only when that changes. */
export function show(node, on) {
  if (node.hidden === on) node.hidden = !on;
}

/** Sets a node's class names, only when they differ. */
export function cls(node, names) {
  if (node.className !== names) node.className = names;
}

/** Brings the children of `list` to `items`, each drawn by `make(item)` and known
 *  by `key(item)` and `sig(item)` (what its drawing depends on): a node whose item
 *  has not changed is kept, so a long list costs only what changed in it. */
export function keyed(list, items, key, sig, make) {
  const keys = new Set(items.map((item) => String(key(item))));
  const old = new Map();
  for (const node of Array.from(list.children)) {
    if (keys.has(node.dataset.key)) old.set(node.dataset.key, node);
    else node.remove(); // gone first, so that the rest need not move
  }
  let at = list.firstElementChild;
  for (const item of items) {
    const k = String(key(item));
    const signature = sig(item);
    let node = old.get(k);
    if (!node || node.dataset.sig !== signature) {
      const made = make(item);
      made.dataset.key = k;
      made.dataset.sig = signature;
      if (node) {
        if (at === node) at = made;
        node.replaceWith(made);
      }
      node = made;
    }
    if (node === at) at = at.nextElementSibling;
    else list.insertBefore(node, at);
  }
}

/** Replaces the children of `node` with `children`. */
export function fill(node, ...children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  for (const c of flatten(children)) node.appendChild(asNode(c));
}
