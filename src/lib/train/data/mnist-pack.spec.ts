import { describe, expect, it } from 'vitest';
import { loadMnistSplit } from '../../../../scripts/models/mnist/mnist-data';
import { decodeMnistPack, encodeMnistPixels, type MnistPackIndex } from './mnist-pack';

describe('encodeMnistPixels and decodeMnistPack', () => {
	it('round-trips the package digits exactly, split by split', () => {
		const { train, test } = loadMnistSplit();
		const { values, images, labels } = encodeMnistPixels([train, test]);
		expect(values).toHaveLength(256);
		const count = train.labels.length + test.labels.length;
		const file = { path: '', bytes: 0, sha256: '' };
		const index: MnistPackIndex = {
			name: '',
			description: '',
			licence: '',
			source: { package: '', version: '', upstream: '' },
			width: 28,
			height: 28,
			count,
			classNames: [],
			splits: {
				train: { start: 0, count: train.labels.length },
				test: { start: train.labels.length, count: test.labels.length }
			},
			values,
			images: file,
			labels: file
		};
		// Byte comparison: deep equality over millions of floats is very slow.
		const same = (a: ArrayBufferView, b: ArrayBufferView) =>
			Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
				Buffer.from(b.buffer, b.byteOffset, b.byteLength)
			);
		const decodedTest = decodeMnistPack(index, images, labels, 'test');
		expect(same(decodedTest.inputs, test.inputs)).toBe(true);
		expect(same(decodedTest.labels, test.labels)).toBe(true);
		expect(same(decodeMnistPack(index, images, labels, 'train').inputs, train.inputs)).toBe(true);
		expect(same(decodeMnistPack(index, images, labels, 'test').inputs, train.inputs)).toBe(false);
		expect(() => decodeMnistPack(index, images.subarray(1), labels)).toThrow(/index says/);
	});
});
