/** A one-variant manifest for unit tests ("tiny/fp32"), with the files a test gives it. */
import type { ModelFile, ModelManifest } from './manifest';

export function tinyManifest(files: ModelFile[]): ModelManifest {
	return {
		schema: 1,
		id: 'tiny',
		name: 'Tiny',
		task: 'custom',
		description: 'A test model',
		licence: { spdx: 'MIT', note: '' },
		source: { package: 'test', version: '0.0.0', upstream: 'test', build: 'test' },
		variants: [{ id: 'fp32', name: 'fp32', description: '', precision: 'fp32', files }]
	};
}
