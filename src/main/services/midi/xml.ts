/**
 * Just enough XML to read controller mapping files: elements, attributes and text; comments,
 * processing instructions, CDATA and the doctype are skipped. Entities are the five predefined
 * ones and numeric references. A malformed file fails with the line it broke on.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export class XmlParseError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

export function parseXml(source: string): XmlElement {
  let index = 0;
  const lineAt = (position: number): number => source.slice(0, position).split('\n').length;
  const fail = (message: string): never => {
    throw new XmlParseError(`line ${lineAt(index)}: ${message}`);
  };
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];

  while (index < source.length) {
    const open = source.indexOf('<', index);
    const textEnd = open === -1 ? source.length : open;
    if (textEnd > index) stack[stack.length - 1]!.text += decodeEntities(source.slice(index, textEnd));
    if (open === -1) break;
    index = open;
    if (source.startsWith('<!--', index)) {
      const end = source.indexOf('-->', index + 4);
      if (end === -1) fail('a comment is never closed');
      index = end + 3;
    } else if (source.startsWith('<![CDATA[', index)) {
      const end = source.indexOf(']]>', index);
      if (end === -1) fail('a CDATA section is never closed');
      stack[stack.length - 1]!.text += source.slice(index + 9, end);
      index = end + 3;
    } else if (source.startsWith('<?', index) || source.startsWith('<!', index)) {
      const end = source.indexOf('>', index);
      if (end === -1) fail('a declaration is never closed');
      index = end + 1;
    } else if (source.startsWith('</', index)) {
      const end = source.indexOf('>', index);
      if (end === -1) fail('a closing tag is never finished');
      const name = source.slice(index + 2, end).trim();
      const current = stack.pop();
      if (!current || current === root || current.name !== name) fail(`</${name}> does not close <${current?.name ?? ''}>`);
      index = end + 1;
    } else {
      const match = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(index, index + 4096));
      if (!match) fail('a tag is not well formed');
      const [whole, name, attributeText, selfClosing] = match!;
      const attributes: Record<string, string> = {};
      for (const attribute of attributeText!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[attribute[1]!] = decodeEntities(attribute[2] ?? attribute[3] ?? '');
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      stack[stack.length - 1]!.children.push(element);
      if (!selfClosing) stack.push(element);
      index += whole!.length;
    }
  }
  if (stack.length > 1) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  const [documentElement, ...others] = root.children;
  if (!documentElement || others.length > 0) throw new XmlParseError('the file must hold exactly one top element');
  return documentElement;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  const lower = name.toLowerCase();
  return element.children.find((candidate) => candidate.name.toLowerCase() === lower);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text.trim();
}
