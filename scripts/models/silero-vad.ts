/**
 * Silero voice activity detection, copied unchanged from @ricky0123/vad-web: v5 (the default),
 * v6 (same interface, newer weights) and the older v4 model that vad-web calls "legacy".
 */
import { join } from 'node:path';
import {
	MANIFEST_SCHEMA,
	type ModelManifest,
	type ModelVariant,
	type SampleTensor
} from '../../src/lib/catalog/manifest';
import type { ModelBuilder } from './builder';
import { copyIntoModel } from './copy-files';
import { describeFile } from './describe-files';
import { installedVersion, packageDir } from './paths';

const PACKAGE = '@ricky0123/vad-web';

const SAMPLE_RATE: SampleTensor = { name: 'sr', dtype: 'int64', dims: [], data: [16_000] };

/**
 * v5/v6 read 64 samples of context (the previous frame's tail) followed by a 512-sample frame,
 * as silero-vad's own OnnxWrapper and vad-web do; the sample is a steady tone across both.
 */
const STATEFUL_SAMPLE: SampleTensor[] = [
	{ name: 'input', dtype: 'float32', dims: [1, 64 + 512], fill: 'sine' },
	{ name: 'state', dtype: 'float32', dims: [2, 1, 128], fill: 'zeros' },
	SAMPLE_RATE
];

/** v4 takes 1536-sample (96 ms) frames and an LSTM state split into h and c. */
const LEGACY_SAMPLE: SampleTensor[] = [
	{ name: 'input', dtype: 'float32', dims: [1, 1536], fill: 'sine' },
	SAMPLE_RATE,
	{ name: 'h', dtype: 'float32', dims: [2, 1, 64], fill: 'zeros' },
	{ name: 'c', dtype: 'float32', dims: [2, 1, 64], fill: 'zeros' }
];

interface VariantSource {
	id: string;
	name: string;
	description: string;
	file: string;
	sample: SampleTensor[];
}

const VARIANTS: VariantSource[] = [
	{
		id: 'v5',
		name: 'Silero VAD v5',
		description:
			'Speech probability for each 32 ms frame (512 samples at 16 kHz, fed with the previous ' +
			"frame's last 64 samples in front); a [2, batch, 128] state carries over between frames.",
		file: 'silero_vad_v5.onnx',
		sample: STATEFUL_SAMPLE
	},
	{
		id: 'v6',
		name: 'Silero VAD v6',
		description: 'Newer weights with the same inputs, outputs and frame size as v5.',
		file: 'silero_vad_v6.onnx',
		sample: STATEFUL_SAMPLE
	},
	{
		id: 'legacy',
		name: 'Silero VAD v4 (legacy)',
		description:
			"The older model, still vad-web's default: 96 ms frames (1536 samples at 16 kHz) and an " +
			'LSTM state passed as h and c, [2, batch, 64] each.',
		file: 'silero_vad_legacy.onnx',
		sample: LEGACY_SAMPLE
	}
];

export const sileroVadBuilder: ModelBuilder = {
	id: 'silero-vad',
	packages: [PACKAGE],
	moduleUrl: import.meta.url,
	async build({ outputDir }): Promise<ModelManifest> {
		const variants: ModelVariant[] = [];
		for (const source of VARIANTS) {
			const path = `${source.id}/${source.file}`;
			await copyIntoModel(join(packageDir(PACKAGE), 'dist', source.file), outputDir, path);
			variants.push({
				id: source.id,
				name: source.name,
				description: source.description,
				precision: 'fp32',
				files: [
					await describeFile(outputDir, path, { kind: 'onnx', role: 'vad', sample: source.sample })
				]
			});
		}
		return {
			schema: MANIFEST_SCHEMA,
			id: 'silero-vad',
			name: 'Silero VAD',
			task: 'vad',
			description:
				'Tells speech from silence and noise in 16 kHz audio, frame by frame; small enough to run ' +
				'continuously on a microphone stream.',
			licence: {
				spdx: 'MIT',
				note:
					'The models are Silero VAD (snakers4/silero-vad), released under MIT upstream. The npm ' +
					'package @ricky0123/vad-web is ISC per its package.json and ships no licence text for ' +
					'the model files.'
			},
			source: {
				package: PACKAGE,
				version: installedVersion(PACKAGE),
				upstream: 'Silero VAD v4, v5 and v6 (https://github.com/snakers4/silero-vad)',
				build: 'Copied unchanged from the package.'
			},
			variants
		};
	}
};
