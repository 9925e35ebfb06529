import { describe, expect, it } from 'vitest';
import { tinyManifest } from '../catalog/manifest.fixture';
import { parseSetup, resolveSetup, setupSearch } from './setup';

describe('permalink', () => {
	it('reads the format the Optimize page links with', () => {
		expect(parseSetup('?model=mnist-mlp&variants=fp32,int8')).toEqual({
			modelId: 'mnist-mlp',
			variantIds: ['fp32', 'int8']
		});
		expect(parseSetup('variants=a,b')).toBeNull();
		expect(parseSetup('model=m&variants=a,,a, b')).toEqual({
			modelId: 'm',
			variantIds: ['a', 'b']
		});
	});

	it('round-trips ids with commas and spaces', () => {
		const setup = { modelId: 'my model', variantIds: ['fp32', 'int8, per channel'] };
		expect(setupSearch({ modelId: 'm', variantIds: ['a', 'b'] })).toBe('model=m&variants=a,b');
		expect(parseSetup(setupSearch(setup))).toEqual(setup);
	});
});

describe('resolving a set-up', () => {
	const base = tinyManifest([]);
	const model = {
		...base,
		variants: ['fp32', 'int8', 'int4'].map((id) => ({ ...base.variants[0]!, id, name: id }))
	};

	it('gives the variants in the order chosen, the reference first', () => {
		const resolved = resolveSetup({ modelId: 'tiny', variantIds: ['int8', 'fp32'] }, [model]);
		expect(resolved.variants.map((v) => v.id)).toEqual(['int8', 'fp32']);
	});

	it('explains each bad set-up', () => {
		const resolve = (modelId: string, variantIds: string[]) => () =>
			resolveSetup({ modelId, variantIds }, [model]);
		expect(resolve('nope', ['fp32', 'int8'])).toThrow(/no model "nope"/);
		expect(resolve('tiny', ['fp32'])).toThrow(/at least 2 variants to compare \(1 chosen\)/);
		expect(resolve('tiny', ['fp32', 'fp16'])).toThrow(/no variant "fp16"/);
		const many = {
			...model,
			variants: Array.from({ length: 7 }, (_, i) => ({ ...model.variants[0]!, id: `v${i}` }))
		};
		expect(() =>
			resolveSetup({ modelId: 'tiny', variantIds: many.variants.map((v) => v.id) }, [many])
		).toThrow(/at most 6/);
	});
});
