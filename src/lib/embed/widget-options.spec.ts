import { describe, expect, it } from 'vitest';
import type { Catalog, ModelManifest } from '$lib/catalog/manifest';
import { tinyManifest } from '$lib/catalog/manifest.fixture';
import { parseWidgetOptions } from './widget-options';

const model = (id: string, task: ModelManifest['task']): ModelManifest => ({
	...tinyManifest([]),
	id,
	task
});
const catalog: Catalog = { schema: 1, models: [model('reader', 'ocr'), model('pad', 'digits')] };
const parse = (query: string) => parseWidgetOptions(new URLSearchParams(query), catalog);

describe('parseWidgetOptions', () => {
	it('has quiet defaults', () => {
		expect(parse('')).toEqual({
			model: null,
			variant: null,
			backend: 'auto',
			theme: 'auto',
			compact: false,
			headless: false,
			notes: []
		});
	});

	it('reads the model, variant, look and flags', () => {
		expect(parse('model=pad&variant=fp32&theme=dark&compact&headless=1&backend=wasm')).toEqual({
			model: 'pad',
			variant: 'fp32',
			backend: 'wasm',
			theme: 'dark',
			compact: true,
			headless: true,
			notes: []
		});
		expect(parse('headless=false').headless).toBe(false);
	});

	it('picks the first model of a task when no model is named', () => {
		expect(parse('task=digits').model).toBe('pad');
		expect(parse('task=digits&model=reader').model).toBe('reader');
	});

	it('starts embeddings on USE-lite, not on the GloVe baseline listed before it', () => {
		const embedders: Catalog = {
			schema: 1,
			models: [model('glove-embedder', 'embeddings'), model('use-lite', 'embeddings')]
		};
		const options = parseWidgetOptions(new URLSearchParams('task=embeddings'), embedders);
		expect(options.model).toBe('use-lite');
		const gloveOnly: Catalog = { schema: 1, models: [model('glove-embedder', 'embeddings')] };
		expect(parseWidgetOptions(new URLSearchParams('task=embeddings'), gloveOnly).model).toBe(
			'glove-embedder'
		);
	});

	it('notes what it ignored instead of failing', () => {
		const options = parse('model=nope&theme=neon&variant=x&task=dance');
		expect(options.model).toBeNull();
		expect(options.theme).toBe('auto');
		expect(options.notes).toHaveLength(3);
		expect(options.notes.join(' ')).toMatch(/no model "nope".*task=dance.*theme=neon/);
		expect(parse('model=pad&variant=int4')).toMatchObject({ model: 'pad', variant: null });
		expect(parse('model=pad&variant=int4').notes[0]).toMatch(/no variant "int4"; using fp32/);
		expect(parse('task=vad').notes[0]).toMatch(/No model .* vad task/);
	});
});
