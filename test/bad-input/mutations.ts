/** Hostile and careless values, each named, for every kind of leaf a request carries. */
export interface Mutant {
  name: string;
  value: unknown;
}

const deep = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
};

export const STRING_MUTANTS: Mutant[] = [
  { name: 'NUL byte', value: 'ab\u0000cd' },
  { name: 'lone high surrogate', value: 'ab\uD800cd' },
  { name: 'lone low surrogate', value: '\uDC00' },
  { name: 'oversized string', value: 'x'.repeat(300_000) },
  { name: 'year 0000', value: '0000-01-01T00:00:00Z' },
  { name: 'year 9999', value: '9999-12-31T23:59:59.999Z' },
  { name: 'date only year 0', value: '0000-01-01' },
  { name: 'number for string', value: 12345 },
  { name: 'object for string', value: { nested: true } },
  { name: 'array for string', value: ['a', 'b'] },
  { name: 'null', value: null },
  { name: 'empty', value: '' },
  { name: 'right-to-left override', value: '\u202Eevil' },
  { name: 'sql quote', value: "' OR 1=1 --" },
];

export const NUMBER_MUTANTS: Mutant[] = [
  { name: 'huge', value: 1e308 },
  { name: 'negative huge', value: -1e308 },
  { name: 'beyond int64', value: 2 ** 64 },
  { name: 'negative', value: -1 },
  { name: 'fraction', value: 0.5 },
  { name: 'string for number', value: '12' },
  { name: 'object for number', value: { n: 1 } },
  { name: 'null', value: null },
];

export const OTHER_MUTANTS: Mutant[] = [
  { name: 'string for boolean/object', value: 'yes' },
  { name: 'deeply nested object', value: deep(200) },
  { name: 'null', value: null },
];

export const WHOLE_BODY_MUTANTS: Array<{ name: string; text: string | Buffer }> = [
  { name: 'array body', text: '[]' },
  { name: 'null body', text: 'null' },
  { name: 'scalar body', text: '"text"' },
  { name: 'truncated JSON', text: '{"a": ' },
  { name: 'deeply nested JSON', text: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { name: 'NUL in a key', text: '{"a\\u0000b": 1}' },
  { name: 'invalid UTF-8', text: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')]) },
  { name: 'prototype pollution', text: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' },
];

/** Raw (already percent-encoded) values for path segments and query parameters. */
export const URL_MUTANTS: Array<{ name: string; raw: string }> = [
  { name: 'NUL', raw: 'ab%00cd' },
  { name: 'encoded lone surrogate', raw: '%ED%A0%80' },
  { name: 'invalid UTF-8', raw: '%FF%FE' },
  { name: 'broken percent escape', raw: '%ZZ' },
  { name: 'oversized', raw: 'x'.repeat(8_000) },
  { name: 'year 0000', raw: '0000-01-01' },
  { name: 'year 9999', raw: '9999-12-31T23%3A59%3A59Z' },
  { name: 'huge number', raw: '1e308' },
  { name: 'negative', raw: '-1' },
  { name: 'dot segments', raw: '..%2F..%2Fetc%2Fpasswd' },
];

export function mutantsFor(value: unknown): Mutant[] {
  if (typeof value === 'string') return STRING_MUTANTS;
  if (typeof value === 'number') return NUMBER_MUTANTS;
  return OTHER_MUTANTS;
}

/** Bodies for the XML and octet-stream routes, which no JSON schema describes. */
export const RAW_BODY_MUTANTS: Array<{ name: string; type: string; body: string | Buffer }> = [
  { name: 'empty XML', type: 'application/xml', body: '' },
  { name: 'malformed XML', type: 'application/xml', body: '<POSLog><Transaction>' },
  { name: 'NUL in XML', type: 'application/xml', body: '<POSLog><Transaction>\u0000</Transaction></POSLog>' },
  { name: 'deeply nested XML', type: 'application/xml', body: `<POSLog>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</POSLog>` },
  { name: 'entity bomb', type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><POSLog>&c;</POSLog>' },
  { name: 'external entity', type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><POSLog>&e;</POSLog>' },
  { name: 'invalid UTF-8 XML', type: 'application/xml', body: Buffer.concat([Buffer.from('<POSLog><T>'), Buffer.from([0xff, 0xfe]), Buffer.from('</T></POSLog>')]) },
  { name: 'JSON as XML', type: 'application/xml', body: '{"transactions": []}' },
  { name: 'bad JSON transactions', type: 'application/json', body: '{"transactions": [{"id": null}]}' },
  { name: 'octet stream', type: 'application/offset+octet-stream', body: Buffer.alloc(64, 0) },
  { name: 'wrong content type', type: 'text/plain', body: 'hello' },
];
