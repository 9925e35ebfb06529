/**
 * What a pruned file really costs: zeroed float32 weights take four bytes each in ONNX like any
 * other value, so the saving only shows once the bytes are compressed. Deflate (fflate) at a
 * middling level, the one the model store keeps such files in (src/lib/store/user-models.ts).
 */
import { deflateSync } from 'fflate';

export function compressedSize(bytes: Uint8Array): number {
	return deflateSync(bytes, { level: 6 }).byteLength;
}
