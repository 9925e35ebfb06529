import { describe, expect, it } from 'vitest';
import { distillationLoss, logSoftmax } from './losses';
import { softmax, softmaxCrossEntropy } from './mlp';
import { createRandom } from './random';

const classes = 4;
const labels = Uint8Array.from([0, 3, 2]);

function randomLogits(seed: number, scale = 2): Float64Array {
	const random = createRandom(seed);
	return Float64Array.from({ length: labels.length * classes }, () => random.normal() * scale);
}

/** KL(p || q) row by row, written out plainly as the reference. */
function referenceLoss(student: Float64Array, teacher: Float64Array, t: number, alpha: number) {
	const p = softmax(
		teacher.map((z) => z / t),
		classes
	);
	const q = softmax(
		student.map((z) => z / t),
		classes
	);
	let kl = 0;
	for (let k = 0; k < p.length; k++) kl += p[k]! * Math.log(p[k]! / q[k]!);
	const batch = labels.length;
	return (
		alpha * t * t * (kl / batch) + (1 - alpha) * softmaxCrossEntropy(student, labels, classes).loss
	);
}

describe('distillationLoss', () => {
	it('is alpha * T^2 * KL(teacher || student) + (1 - alpha) * cross-entropy', () => {
		const student = randomLogits(1);
		const teacher = randomLogits(2);
		for (const [t, alpha] of [
			[1, 0.5],
			[4, 0.7],
			[0.5, 1]
		] as const) {
			const { loss } = distillationLoss(student, teacher, labels, classes, {
				temperature: t,
				alpha
			});
			expect(loss).toBeCloseTo(referenceLoss(student, teacher, t, alpha), 12);
		}
	});

	it('is plain cross-entropy when alpha is 0, and only the hard term when the teacher agrees', () => {
		const student = randomLogits(3);
		const plain = softmaxCrossEntropy(student, labels, classes);
		const none = distillationLoss(student, randomLogits(4), labels, classes, {
			temperature: 3,
			alpha: 0
		});
		expect(none.loss).toBeCloseTo(plain.loss, 12);
		expect(Array.from(none.gradient)).toEqual(Array.from(plain.gradient));
		const same = distillationLoss(student, student, labels, classes, {
			temperature: 3,
			alpha: 0.5
		});
		expect(same.loss).toBeCloseTo(0.5 * plain.loss, 12);
	});

	it('has gradients that match central differences for several temperatures', () => {
		const teacher = randomLogits(6, 3);
		for (const [t, alpha] of [
			[1, 0.3],
			[2, 0.9],
			[8, 0.5]
		] as const) {
			const student = randomLogits(5);
			const { gradient } = distillationLoss(student, teacher, labels, classes, {
				temperature: t,
				alpha
			});
			const step = 1e-6;
			for (let k = 0; k < student.length; k++) {
				const saved = student[k]!;
				student[k] = saved + step;
				const up = distillationLoss(student, teacher, labels, classes, {
					temperature: t,
					alpha
				}).loss;
				student[k] = saved - step;
				const down = distillationLoss(student, teacher, labels, classes, {
					temperature: t,
					alpha
				}).loss;
				student[k] = saved;
				expect(gradient[k]).toBeCloseTo((up - down) / (2 * step), 7);
			}
		}
	});

	it('refuses teacher logits of another shape', () => {
		expect(() =>
			distillationLoss(randomLogits(1), new Float64Array(3), labels, classes, {
				temperature: 2,
				alpha: 0.5
			})
		).toThrow(/teacher logits/);
	});
});

describe('logSoftmax', () => {
	it('is the log of softmax(logits / T) and survives large logits', () => {
		const logits = [1000, 1001, 998, 0.5, -2, 3];
		const result = logSoftmax(logits, 3, 2);
		const expected = softmax(
			logits.map((z) => z / 2),
			3
		);
		result.forEach((value, k) => expect(Math.exp(value)).toBeCloseTo(expected[k]!, 12));
	});
});
