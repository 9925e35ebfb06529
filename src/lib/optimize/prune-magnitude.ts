/**
 * Unstructured magnitude pruning (L1): in each covered weight, the given fraction of entries with
 * the smallest absolute value become exactly 0. The graph and the file size do not change (a zero
 * takes four bytes like any float); the zeros compress well, which is how Hearth stores them.
 */
import { float32Tensor } from './onnx-tensors';
import type { WeightTarget } from './weight-targets';

/** The number of entries zeroed: the `sparsity` fraction with the smallest |w| (ties by position). */
export function pruneSmallest(values: Float32Array, sparsity: number): number {
	const count = Math.min(values.length, Math.floor(values.length * sparsity));
	if (count <= 0) return 0;
	const magnitudes = values.map(Math.abs).sort();
	const threshold = magnitudes[count - 1]!;
	// Everything under the threshold goes, then entries equal to it until `count` are gone.
	let below = 0;
	for (const magnitude of magnitudes) if (magnitude < threshold) below++;
	let equalsToZero = count - below;
	let zeroed = 0;
	for (let i = 0; i < values.length; i++) {
		const magnitude = Math.abs(values[i]!);
		if (magnitude < threshold || (magnitude === threshold && equalsToZero-- > 0)) {
			values[i] = 0;
			zeroed++;
		}
	}
	return zeroed;
}

export interface PrunedWeight {
	zeroed: number;
	elements: number;
}

/** Zeroes the smallest entries of the target and writes it back in place (same name, same node). */
export function pruneWeightByMagnitude(target: WeightTarget, sparsity: number): PrunedWeight {
	const values = Float32Array.from(target.values);
	const zeroed = pruneSmallest(values, sparsity);
	const rewritten = float32Tensor(target.weight.name, target.dims, values);
	// The tensor object stays (it may sit in a Constant node's attribute); only its data changes.
	target.weight.tensor.rawData = rewritten.rawData;
	target.weight.tensor.floatData = [];
	return { zeroed, elements: values.length };
}
