/**
 * The policy editor's YAML: the draft parsed into the document `PUT /v1/policies/{role}` takes, and the line
 * of the draft a problem's path names (`rules[0].conditions.storeId`), so that the hub's own validation can be
 * shown inline at its line. JSON is YAML too, so a JSON draft works the same. Pure: no I/O.
 */
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';

export interface DraftProblem { path: string; message: string; line: number | null }
export type ParsedDraft = { document: Record<string, unknown>; lineOf: (path: string) => number | null } | { problem: DraftProblem };

/** A value as YAML, in the layout the editor shows. */
export const yamlText = (value: unknown): string => stringify(value, { lineWidth: 0 });

/** The editor's starting text for a saved policy (or an empty extension of the built-in rules). */
export const policyYaml = (document: { mode: string; rules: unknown[] }): string => yamlText(document);

/** `rules[0].conditions.storeId` (or `body.rules.0.conditions`) as keys: ['rules', 0, 'conditions', 'storeId']. */
export function pathKeys(path: string): Array<string | number> {
  return path.replace(/^body\./, '').split(/[.[\]]+/).filter(Boolean).map((key) => (/^\d+$/.test(key) ? Number(key) : key));
}

/** The first line of the node a path names; a missing key points at the nearest parent that exists. */
function lineOfPath(root: Node | null, counter: LineCounter, path: string): number | null {
  let node: unknown = root;
  let line: number | null = root?.range ? counter.linePos(root.range[0]).line : null;
  for (const key of pathKeys(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      if (keyNode?.range) line = counter.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      if (item.range) line = counter.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}

/** The draft as a policy document, or the YAML problem at its line (the first one the parser found). */
export function parseDraft(text: string): ParsedDraft {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0]?.line ?? counter.linePos(error.pos[0]).line;
    return { problem: { path: '', message: `not valid YAML: ${error.message.split('\n')[0]}`, line: at } };
  }
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: { path: '', message: 'the policy is a mapping with mode (extend or replace) and rules', line: 1 } };
  }
  return { document: value as Record<string, unknown>, lineOf: (path) => lineOfPath(doc.contents as Node | null, counter, path) };
}
