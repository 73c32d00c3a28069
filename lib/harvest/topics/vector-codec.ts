// Vectors as compact strings for Redis: the float32 values, little-endian, in base64 (1,368
// characters for 256 dimensions, against ~5,000 as JSON numbers). Explicitly little-endian, so a
// value written by one machine reads the same on any other.
import { VECTOR_DIMENSIONS } from './vectors.js';

const BYTES = 4;

export function encodeVector(vector: Float32Array): string {
  const view = new DataView(new ArrayBuffer(vector.length * BYTES));
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * BYTES, vector[i] ?? 0, true);
  return Buffer.from(view.buffer).toString('base64');
}

/** The vector in `encoded`, or undefined when it is not one of `dimensions` finite floats (a stale or foreign value). */
export function decodeVector(encoded: string, dimensions: number = VECTOR_DIMENSIONS): Float32Array | undefined {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== dimensions * BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) {
    const value = view.getFloat32(i * BYTES, true);
    if (!Number.isFinite(value)) return undefined;
    vector[i] = value;
  }
  return vector;
}
