// A minimal ONNX (protobuf) writer for tests: enough of ModelProto to build small float graphs by hand, so the
// decoders can be checked against what onnxruntime really returns without a Python exporter.
// Field numbers from onnx/onnx.proto (IR version 8).

type Field = Uint8Array;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
const int = (field: number, value: number): Field => new Uint8Array([...tag(field, 0), ...varint(value)]);
const bytes = (field: number, payload: Uint8Array): Field => concat([new Uint8Array([...tag(field, 2), ...varint(payload.length)]), payload]);
const str = (field: number, text: string): Field => bytes(field, new TextEncoder().encode(text));
const msg = (field: number, parts: readonly Field[]): Field => bytes(field, concat(parts));

const FLOAT = 1;

export interface OnnxValue {
  readonly name: string;
  /** Numbers are fixed dims, strings symbolic ones. */
  readonly dims: ReadonlyArray<number | string>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Integer attributes: a number is INT, an array INTS. */
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
}

export interface OnnxGraph {
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly nodes: readonly OnnxNode[];
  readonly initializers?: readonly OnnxInitializer[];
  readonly opset?: number;
}

function valueInfo(field: number, value: OnnxValue): Field {
  const dims = value.dims.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)]));
  const tensorType = msg(1, [int(1, FLOAT), msg(2, dims)]);
  return msg(field, [str(1, value.name), msg(2, [tensorType])]);
}

function initializer(init: OnnxInitializer): Field {
  const raw = new Uint8Array(init.data.buffer.slice(init.data.byteOffset, init.data.byteOffset + init.data.byteLength));
  return msg(5, [...init.dims.map((d) => int(1, d)), int(2, FLOAT), str(8, init.name), bytes(9, raw)]);
}

function node(n: OnnxNode, index: number): Field {
  const attributes = Object.entries(n.attributes ?? {}).map(([name, value]) =>
    typeof value === 'number'
      ? msg(5, [str(1, name), int(3, value), int(20, 2)])
      : msg(5, [str(1, name), ...value.map((v) => int(8, v)), int(20, 7)]),
  );
  return msg(1, [...n.inputs.map((i) => str(1, i)), ...n.outputs.map((o) => str(2, o)), str(3, `n${index}`), str(4, n.op), ...attributes]);
}

/** Serialises a float-only graph as an ONNX ModelProto (IR 8, default domain at `opset`, 13 unless given). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const g = msg(7, [
    ...graph.nodes.map(node),
    str(2, 'test-graph'),
    ...(graph.initializers ?? []).map(initializer),
    ...graph.inputs.map((v) => valueInfo(11, v)),
    ...graph.outputs.map((v) => valueInfo(12, v)),
  ]);
  return concat([int(1, 8), str(2, 'vigil-tests'), g, msg(8, [str(1, ''), int(2, graph.opset ?? 13)])]);
}

/**
 * A graph with one image input [1,3,H,W] and one output equal to `table` (shape `dims`): the output is
 * table + 0 * mean(image), so ORT runs a real graph from the image to a tensor of a known layout.
 */
export function constantHeadModel(input: { name: string; width: number; height: number }, output: { name: string; dims: readonly number[]; table: Float32Array }): Uint8Array {
  return encodeOnnxModel({
    inputs: [{ name: input.name, dims: [1, 3, input.height, input.width] }],
    outputs: [{ name: output.name, dims: output.dims }],
    initializers: [
      { name: 'table', dims: output.dims, data: output.table },
      { name: 'zero', dims: [1], data: new Float32Array([0]) },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: [input.name], outputs: ['mean'], attributes: { axes: [1, 2, 3], keepdims: 0 } },
      { op: 'Mul', inputs: ['mean', 'zero'], outputs: ['nothing'] },
      { op: 'Add', inputs: ['table', 'nothing'], outputs: [output.name] },
    ],
  });
}
