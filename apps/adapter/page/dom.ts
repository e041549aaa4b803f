const SVG = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number | boolean | undefined>;

function apply(node: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
}

/** An HTML element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, attrs);
  node.append(...children);
  return node;
}

/** An SVG element with attributes and children. */
export function s(tag: string, attrs: Attrs = {}, ...children: Array<Node | string>): SVGElement {
  const node = document.createElementNS(SVG, tag) as SVGElement;
  apply(node, attrs);
  node.append(...children);
  return node;
}

/** A number as `gyro explain` prints it (fixed decimals), or an integer as is. */
export const fixed = (x: number, digits: number): string => x.toFixed(digits);
