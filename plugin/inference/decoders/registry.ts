import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import type { ResolvedManifest } from '../manifest.js';
import type { Decoder, DecoderFactory, ModelIo } from './decoder.js';
import { nanodetDecoder } from './nanodet.js';
import { yolov8Decoder } from './yolov8.js';

const factories = new Map<string, DecoderFactory>();

/** Adds a decoder family under its `type`; a second registration of the same type is a programming error. */
export function registerDecoder<C>(factory: DecoderFactory<C>): void {
  if (factories.has(factory.type)) throw new AppError('conflict', `decoder type ${factory.type} is already registered`);
  factories.set(factory.type, factory as DecoderFactory<unknown>);
}

export function decoderTypes(): string[] {
  return [...factories.keys()];
}

/** Validates the manifest's decoder block with the family's schema and checks the model against it. */
export function createDecoder(manifest: ResolvedManifest, io: ModelIo): Decoder {
  const factory = factories.get(manifest.decoder.type);
  if (factory === undefined) {
    throw new AppError('config_invalid', `unknown decoder type ${manifest.decoder.type}; known: ${decoderTypes().join(', ')}`, { status: 400 });
  }
  const parsed = factory.configSchema.safeParse(manifest.decoder);
  if (!parsed.success) {
    throw new AppError('config_invalid', `decoder ${factory.type}: ${z.prettifyError(parsed.error)}`, { status: 400 });
  }
  return factory.create(parsed.data, manifest, io);
}

registerDecoder(nanodetDecoder);
registerDecoder(yolov8Decoder);
