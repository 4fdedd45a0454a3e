/**
 * Where each value of a JSON text starts, by the path the hub's policy validator names it with
 * (`rules[0].conditions.storeId`), so that a problem the API reports can be shown at its line. Pure: no DOM.
 */
export function jsonPathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let at = 0;
  let line = 1;
  const skip = () => {
    while (at < text.length && /\s/.test(text[at] as string)) {
      if (text[at] === '\n') line += 1;
      at += 1;
    }
  };
  const string = (): string => {
    const start = at;
    at += 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at += 1;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return text.slice(start + 1, at - 1);
    }
  };
  const value = (path: string): void => {
    skip();
    if (path && !lines.has(path)) lines.set(path, line);
    const c = text[at];
    if (c === '{') {
      at += 1;
      for (skip(); at < text.length && text[at] !== '}'; skip()) {
        if (text[at] === ',') { at += 1; continue; }
        if (text[at] !== '"') return;
        const keyLine = line;
        const key = string();
        const child = path ? `${path}.${key}` : key;
        lines.set(child, keyLine);
        skip();
        if (text[at] !== ':') return;
        at += 1;
        value(child);
      }
      at += 1;
    } else if (c === '[') {
      at += 1;
      let index = 0;
      for (skip(); at < text.length && text[at] !== ']'; skip()) {
        if (text[at] === ',') { at += 1; index += 1; continue; }
        value(`${path}[${index}]`);
      }
      at += 1;
    } else if (c === '"') {
      string();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at] as string)) at += 1;
    }
  };
  value('');
  return lines;
}

/** The line of a path, or of its nearest ancestor the text has (a missing field is reported on its parent). */
export function lineOf(lines: Map<string, number>, path: string): number | null {
  let p = path;
  while (p) {
    const found = lines.get(p);
    if (found !== undefined) return found;
    const parent = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (parent === p) break;
    p = parent;
  }
  return null;
}

/** The line of a JSON.parse error, from the position V8 names in its message. */
export function syntaxErrorLine(text: string, message: string): number | null {
  const lineColumn = /line (\d+) column/.exec(message);
  if (lineColumn) return Number(lineColumn[1]);
  const position = /position (\d+)/.exec(message);
  return position ? text.slice(0, Number(position[1])).split('\n').length : null;
}
