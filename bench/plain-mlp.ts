/**
 * The reference for the training benchmark: a plain typed-array 784-128-10 ReLU MLP with softmax
 * cross-entropy and Adam, written the obvious way (float32 weights, [out][in] rows, dot-product
 * loops, no tricks), as one would write it in Node without a framework.
 */

export interface PlainMlp {
	w1: Float32Array;
	b1: Float32Array;
	w2: Float32Array;
	b2: Float32Array;
}

export function createPlainMlp(
	inputs: number,
	hidden: number,
	classes: number,
	seed: number
): PlainMlp {
	let state = seed >>> 0;
	const uniform = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 4294967296 - 0.5;
	};
	const init = (length: number, fanIn: number) =>
		Float32Array.from({ length }, () => uniform() * Math.sqrt(24 / fanIn));
	return {
		w1: init(hidden * inputs, inputs),
		b1: new Float32Array(hidden),
		w2: init(classes * hidden, hidden),
		b2: new Float32Array(classes)
	};
}

/** Trains one epoch over `order` with Adam; returns the mean loss. */
export function plainEpoch(
	mlp: PlainMlp,
	x: Float32Array,
	y: Uint8Array,
	order: readonly number[],
	batchSize: number,
	learningRate: number,
	adam: { step: number; m: Float32Array[]; v: Float32Array[] }
): number {
	const inputs = x.length / y.length;
	const hidden = mlp.b1.length;
	const classes = mlp.b2.length;
	const params = [mlp.w1, mlp.b1, mlp.w2, mlp.b2];
	const grads = params.map((p) => new Float32Array(p.length));
	const h = new Float32Array(batchSize * hidden);
	const dz = new Float32Array(batchSize * classes);
	const dh = new Float32Array(hidden);
	let lossSum = 0;
	let batches = 0;
	for (let start = 0; start < order.length; start += batchSize) {
		const rows = Math.min(batchSize, order.length - start);
		for (const g of grads) g.fill(0);
		for (let b = 0; b < rows; b++) {
			const xo = order[start + b]! * inputs;
			for (let j = 0; j < hidden; j++) {
				let sum = mlp.b1[j]!;
				const wo = j * inputs;
				for (let i = 0; i < inputs; i++) sum += x[xo + i]! * mlp.w1[wo + i]!;
				h[b * hidden + j] = sum > 0 ? sum : 0;
			}
			let max = -Infinity;
			for (let k = 0; k < classes; k++) {
				let sum = mlp.b2[k]!;
				for (let j = 0; j < hidden; j++) sum += h[b * hidden + j]! * mlp.w2[k * hidden + j]!;
				dz[b * classes + k] = sum;
				if (sum > max) max = sum;
			}
			let total = 0;
			for (let k = 0; k < classes; k++)
				total += dz[b * classes + k] = Math.exp(dz[b * classes + k]! - max);
			const label = y[order[start + b]!]!;
			for (let k = 0; k < classes; k++) dz[b * classes + k]! /= total;
			lossSum -= Math.log(dz[b * classes + label]!);
			dz[b * classes + label]! -= 1;
			for (let k = 0; k < classes; k++) dz[b * classes + k]! /= rows;
		}
		for (let b = 0; b < rows; b++) {
			const xo = order[start + b]! * inputs;
			for (let k = 0; k < classes; k++) {
				const g = dz[b * classes + k]!;
				grads[3]![k]! += g;
				for (let j = 0; j < hidden; j++) grads[2]![k * hidden + j]! += g * h[b * hidden + j]!;
			}
			for (let j = 0; j < hidden; j++) {
				let sum = 0;
				for (let k = 0; k < classes; k++) sum += dz[b * classes + k]! * mlp.w2[k * hidden + j]!;
				dh[j] = h[b * hidden + j]! > 0 ? sum : 0;
			}
			for (let j = 0; j < hidden; j++) {
				const g = dh[j]!;
				grads[1]![j]! += g;
				if (g === 0) continue;
				const wo = j * inputs;
				for (let i = 0; i < inputs; i++) grads[0]![wo + i]! += g * x[xo + i]!;
			}
		}
		adam.step++;
		const c1 = 1 - 0.9 ** adam.step;
		const c2 = 1 - 0.999 ** adam.step;
		params.forEach((p, n) => {
			const g = grads[n]!;
			const m = adam.m[n]!;
			const v = adam.v[n]!;
			for (let i = 0; i < p.length; i++) {
				m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
				v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
				p[i]! -= (learningRate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
			}
		});
		batches++;
	}
	return lossSum / order.length;
}

export function adamState(mlp: PlainMlp) {
	const params = [mlp.w1, mlp.b1, mlp.w2, mlp.b2];
	return {
		step: 0,
		m: params.map((p) => new Float32Array(p.length)),
		v: params.map((p) => new Float32Array(p.length))
	};
}
