/** Test data: noisy clusters in a few dimensions, learnable in a few epochs but not by chance. */
import type { LabelledSet } from './fit';
import { createRandom } from './random';

const CENTRES = [
	[2, 0, 0, 1],
	[0, 2, 1, 0],
	[1, 0, 2, 2]
];

export function clusters(count: number, seed: number, noise = 0.4): LabelledSet {
	const random = createRandom(seed);
	const inputs = new Float32Array(count * 4);
	const labels = new Uint8Array(count);
	for (let i = 0; i < count; i++) {
		const label = i % 3;
		labels[i] = label;
		for (let f = 0; f < 4; f++) inputs[i * 4 + f] = CENTRES[label]![f]! + random.normal() * noise;
	}
	return { inputs, labels, featureSize: 4 };
}
