// Shared by the pages (/app/, /provider/, /verify/…): loaded first, before each page's own script.
'use strict';

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (text or nodes); text is never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
